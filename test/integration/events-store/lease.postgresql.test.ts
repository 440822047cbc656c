import { leaseSuite } from './lease-suite';

leaseSuite('postgresql');

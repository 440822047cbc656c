import { leaseSuite } from './leaseSuite';

leaseSuite('postgresql');

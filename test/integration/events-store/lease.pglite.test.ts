import { leaseSuite } from './lease-suite';

leaseSuite('pglite');

import { leaseSuite } from './leaseSuite';

leaseSuite('pglite');

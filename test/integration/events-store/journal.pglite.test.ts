import { journalSuite } from './journal-suite';

journalSuite('pglite');

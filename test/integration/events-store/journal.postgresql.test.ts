import { journalSuite } from './journal-suite';

journalSuite('postgresql');

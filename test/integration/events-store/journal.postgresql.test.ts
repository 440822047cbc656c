import { journalSuite } from './journalSuite';

journalSuite('postgresql');

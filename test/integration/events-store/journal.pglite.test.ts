import { journalSuite } from './journalSuite';

journalSuite('pglite');

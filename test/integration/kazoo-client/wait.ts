/** Kept so the kazoo-client tests' imports stay put: the shared wait (test/helpers/wait-for.ts). */
export { waitFor } from '../../helpers/wait-for';

// The tfjs analyzer's tests, one module per construct, run in one process (loading TypeScript once).
import './imports.cases';
import './sequential.cases';
import './functional.cases';
import './values.cases';
import './layers.cases';
import './initializers.cases';
import './activations.cases';
import './core-api.cases';
import './fix.cases';
import './fixtures.cases';

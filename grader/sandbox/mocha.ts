import type MochaModule = require('mocha');

/** mocha 12 is an ES module; required from CommonJS, its class is the `default` export. */
export const MochaClass: typeof MochaModule = (require('mocha') as { default: typeof MochaModule }).default;

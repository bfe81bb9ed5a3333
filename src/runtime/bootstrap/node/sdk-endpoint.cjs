// Preloaded (node -r) into every Node.js function: makes the AWS SDK for
// JavaScript v2 send its requests to Stratus. v2 predates AWS_ENDPOINT_URL,
// so once v2 has built its global configuration (lib/node_loader.js, loaded
// by require('aws-sdk'), an ES import of it, or any of its subpaths, ours or
// one bundled with the function) that configuration gets the endpoint.
// v3 reads AWS_ENDPOINT_URL itself. Nothing is loaded before the function
// asks for it: aws-sdk costs ~100 ms.
'use strict';

const endpoint = process.env.AWS_ENDPOINT_URL;
if (endpoint) {
  const Module = require('module');
  const originalLoad = Module.prototype.load;
  const configLoader = /[\\/]aws-sdk[\\/]lib[\\/]node_loader\.js$/;
  Module.prototype.load = function (filename) {
    const result = originalLoad.apply(this, arguments);
    if (configLoader.test(filename)) {
      try {
        const AWS = this.require('./core');
        if (AWS && AWS.config && typeof AWS.config.update === 'function') {
          AWS.config.update({ endpoint, s3ForcePathStyle: true });
        }
      } catch (_) {
        // An SDK laid out differently: leave its configuration alone.
      }
    }
    return result;
  };
}

// Preloaded (node -r) into every Node.js function: makes the AWS SDK for
// JavaScript v2 send its requests to Stratus. v2 predates AWS_ENDPOINT_URL,
// so once the function loads `aws-sdk` (or one of its paths) the global
// configuration gets that endpoint. v3 reads AWS_ENDPOINT_URL itself.
// Loading `aws-sdk` costs ~100 ms, so nothing happens until the function
// asks for it.
'use strict';

const endpoint = process.env.AWS_ENDPOINT_URL;
if (endpoint) {
  const Module = require('module');
  const originalLoad = Module._load;
  let configured = false;
  Module._load = function (request, parent, isMain) {
    const exported = originalLoad.apply(this, arguments);
    if (!configured && typeof request === 'string' && /^aws-sdk(\/|$)/.test(request)) {
      configured = true;
      try {
        const AWS = request === 'aws-sdk' ? exported : originalLoad.call(this, 'aws-sdk/global', parent, false);
        if (AWS && AWS.config && typeof AWS.config.update === 'function') {
          AWS.config.update({ endpoint, s3ForcePathStyle: true });
        }
      } catch (_) {
        // A bundle without aws-sdk/global: leave its configuration alone.
      }
    }
    return exported;
  };
}

const sdk = require('@glasses-restream/client');
const drive = require('./drive.cjs');

drive(sdk, require.resolve('@glasses-restream/client')).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

#!/usr/bin/env node
import { prepare } from './prepare.mjs';
import { buildClient } from './build-client.mjs';

prepare({ build: true });
// The SDK client package (client/dist), also exported by this package as `glasses-restream/client`.
buildClient();

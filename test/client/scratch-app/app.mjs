import * as sdk from '@glasses-restream/client';
import drive from './drive.cjs';

await drive(sdk, import.meta.resolve('@glasses-restream/client'));

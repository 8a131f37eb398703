// The admin API's shapes, inferred from its zod schemas (type-only: nothing of the server reaches the
// bundle). The same schemas make the OpenAPI document, and test/admin/admin-schemas.int-spec.ts parses
// every response with them.
import type { AdminSessionResponse } from '../../src/admin/auth/admin-auth.schemas';
import type { AdminDestinationResponse, TestConnectionResponse } from '../../src/admin/destinations/admin-destinations.schemas';
import type { AdminDestinationView, AdminStreamView } from '../../src/admin/streams/admin-stream-view.schemas';
import type { AdminRelayView } from '../../src/admin/relays/admin-relays.schemas';
import type { StreamEventMessage } from '../../src/stream-records/stream-events';

export type {
  AdminApp,
  AdminAppList,
  AdminCreateAppRequest,
  AdminCreatedApp,
  AdminRotatedKey,
  AdminUpdateAppRequest,
  AdminUpdatedApp,
} from '../../src/admin/apps/admin-apps.schemas';
export type { DestinationPreset } from '../../src/admin/destinations/admin-destinations.schemas';
export type { AdminStreamDetail } from '../../src/admin/streams/admin-stream-view.schemas';
export type { AdminStreamHistory, AdminStreamSample } from '../../src/admin/streams/admin-stream-history.schemas';

export type Session = AdminSessionResponse;
export type SavedDestination = AdminDestinationResponse;
export type ConnectionTestResult = TestConnectionResponse;
export type DestinationStatus = LiveDestination['status'];
export type LiveDestination = AdminDestinationView;
export type AdminStream = AdminStreamView;
export type StreamEvent = StreamEventMessage;
export type AdminRelay = AdminRelayView;
export type DestinationError = NonNullable<LiveDestination['lastError']>;
export type IngestHealth = NonNullable<AdminStream['ingest']>;

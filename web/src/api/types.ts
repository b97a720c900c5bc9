// Names for the schemas of api/openapi.json (generated into schema.gen.ts by
// `npm run gen:api`, which every build and test runs first: a change to the
// API that the app does not follow fails the type check).
import type { components, paths } from './schema.gen';

export type { paths };
type S = components['schemas'];
export type User = S['User'];
export type Me = S['Me'];
export type Session = S['Session'];
export type Organisation = S['Organisation'];
export type Ticket = S['Ticket'];
export type TicketCreate = S['TicketCreate'];
export type TicketCreated = S['TicketCreated'];
export type SlaMetric = S['SlaMetric'];
export type SlaReport = S['SlaReport'];
export type SlaExplanation = S['SlaExplanation'];
export type SlaInstanceExplanation = S['SlaInstanceExplanation'];
export type Message = S['Message'];
export type Attachment = S['Attachment'];
export type EventItem = NonNullable<S['EventList']['items']>[number];
export type ContactAudit = NonNullable<S['ContactAuditList']['items']>[number];
export type QueueItem = S['QueueItem'];
export type QueuePage = S['QueuePage'];
export type Policy = S['Policy'];
export type PolicyPlan = S['PolicyPlan'];
export type PolicySeverity = S['PolicySeverity'];
export type PolicyTarget = S['PolicyTarget'];
export type PolicyField = S['PolicyField'];
export type PolicyCalendar = S['PolicyCalendar'];
export type PolicySummary = NonNullable<S['PolicyList']['items']>[number];
export type Problem = S['Problem'];
export type TestClock = S['TestClock'];
export type SlaState = QueueItem['sla_state'];
export type Metric = NonNullable<SlaMetric['metric']>;
export type TicketStatus = NonNullable<Ticket['status']>;
export type Outcome = NonNullable<S['StatusChange']['outcome']>;
export type HeldMail = S['HeldMail'];
export type HeldMailList = S['HeldMailList'];
export type HeldMailDetail = S['HeldMailDetail'];
export type HeldMailRelease = S['HeldMailRelease'];
export type HeldMailReleased = S['HeldMailReleased'];
export type SenderRule = S['SenderRule'];

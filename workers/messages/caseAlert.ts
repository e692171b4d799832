import type { messagingApi } from '@line/bot-sdk';
import { formatArea } from '../../shared/cases/area.ts';
import { CHANNELS } from '../../shared/categories.ts';
import { caseKindLabel } from '../../shared/problems/display.ts';
import { th } from '../../shared/i18n/th.ts';
import type { CaseDoc } from '../../shared/models/index.ts';
import { formatDateTime } from '../../shared/thaiDate.ts';

function row(label: string, value: string): messagingApi.FlexBox {
  return {
    type: 'box', layout: 'baseline', spacing: 'sm',
    contents: [
      { type: 'text', text: label, size: 'sm', color: '#6b7280', flex: 2 },
      { type: 'text', text: value || '-', size: 'sm', color: '#111827', flex: 5, wrap: true },
    ],
  };
}

/**
 * The officer's alert card: enough to decide to take the case (no complainant name or contact:
 * those are shown, audited, only on ดูรายละเอียด), and the two buttons. Sent to a supervisor for a
 * case of a unit below (nobody registered there), the first button is รับเรื่องไว้เอง: the case
 * moves to their unit (takeOverCase), so whoever receives the card can act on it.
 */
export function caseAlertCard(c: CaseDoc, opts: { ackDueAt: Date; note?: string; takeOver?: boolean; suggestedAgency?: string }): messagingApi.FlexMessage {
  const id = String(c._id);
  // The problem type the citizen picked says more than its category; cases filed before types show the category.
  const category = caseKindLabel(c.problemType, c.category, 'th') ?? c.category;
  const summary = c.description.length > 160 ? `${c.description.slice(0, 159)}…` : c.description;
  const channel = CHANNELS.find((ch) => ch.code === c.channel)?.th ?? c.channel;
  const body: messagingApi.FlexComponent[] = [
    row(th.fieldCategory, category),
    row(th.fieldArea, formatArea(c.location, 'th')),
    row(th.fieldChannel, channel),
    row(th.fieldReceived, formatDateTime((c.receivedAt ?? c.createdAt) as Date)),
    row(th.fieldDue, formatDateTime(opts.ackDueAt)),
    { type: 'separator', margin: 'md' },
    { type: 'text', text: summary, size: 'sm', wrap: true, margin: 'md' },
  ];
  if (opts.note) body.push({ type: 'text', text: opts.note, size: 'xs', color: '#b45309', wrap: true, margin: 'md' });
  // A `suggest` type with an agency serving the place: the centre forwards it with one tap.
  if (opts.suggestedAgency) body.push({ type: 'text', text: th.suggestedAgencyNote(opts.suggestedAgency), size: 'xs', color: '#047857', wrap: true, margin: 'md' });
  const buttons: messagingApi.FlexComponent[] = [
    opts.takeOver
      ? { type: 'button', style: 'primary', height: 'sm', action: { type: 'postback', label: th.takeOver, data: `a=takeover&c=${id}`, displayText: `${th.takeOver} ${c.trackingNo}` } }
      : { type: 'button', style: 'primary', height: 'sm', action: { type: 'postback', label: th.accept, data: `a=accept&c=${id}`, displayText: `${th.accept} ${c.trackingNo}` } },
    { type: 'button', style: 'secondary', height: 'sm', action: { type: 'postback', label: th.viewDetails, data: `a=view&c=${id}`, displayText: `${th.viewDetails} ${c.trackingNo}` } },
  ];
  return {
    type: 'flex',
    altText: th.newCaseAlt(c.trackingNo, category),
    contents: {
      type: 'bubble',
      header: {
        type: 'box', layout: 'vertical', backgroundColor: '#1e3a8a', paddingAll: '12px',
        contents: [
          { type: 'text', text: th.newCaseTitle, color: '#ffffff', weight: 'bold', size: 'md' },
          { type: 'text', text: c.trackingNo, color: '#dbeafe', size: 'sm' },
        ],
      },
      body: { type: 'box', layout: 'vertical', spacing: 'sm', contents: body },
      footer: opts.suggestedAgency
        ? { type: 'box', layout: 'vertical', spacing: 'sm', contents: [
          { type: 'box', layout: 'horizontal', spacing: 'sm', contents: buttons },
          { type: 'button', style: 'primary', color: '#047857', height: 'sm', action: { type: 'postback', label: th.forwardToAgency, data: `a=fwdAgency&c=${id}`, displayText: `${th.forwardToAgency} ${opts.suggestedAgency} ${c.trackingNo}`.slice(0, 300) } },
        ] }
        : { type: 'box', layout: 'horizontal', spacing: 'sm', contents: buttons },
    },
  };
}

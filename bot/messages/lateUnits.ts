import type { messagingApi } from '@line/bot-sdk';
import type { Copy } from '../../shared/i18n/index.ts';
import type { LateUnit } from '../../shared/supervision/lateUnits.ts';

/** Postback of the กระตุ้น button: no step, so officer actions (not the conversation) handle it. */
export const nudgeData = (unitCode: string) => `a=nudgeUnit&v=${encodeURIComponent(unitCode)}`;

/** One bubble per late unit (LINE shows at most 12 in a carousel), worst first, each with its กระตุ้น button. */
export function lateUnitsCard(units: (LateUnit & { unowned?: boolean })[], totals: { units: number; cases: number }, t: Copy): messagingApi.FlexMessage {
  const bubbles: messagingApi.FlexBubble[] = units.slice(0, 12).map((u, i) => ({
    type: 'bubble', size: 'kilo',
    header: {
      type: 'box', layout: 'vertical', backgroundColor: i === 0 ? '#991b1b' : '#b45309', paddingAll: '12px',
      contents: [
        { type: 'text', text: `${t.lateUnitsTitle} #${i + 1}`, color: '#fee2e2', size: 'xs' },
        { type: 'text', text: u.nameTh, color: '#ffffff', weight: 'bold', size: 'sm', wrap: true },
      ],
    },
    body: {
      type: 'box', layout: 'vertical', spacing: 'sm',
      contents: [
        { type: 'text', text: t.overdueCases(u.overdue), weight: 'bold', size: 'xl', color: '#991b1b' },
        { type: 'text', text: t.oldestLate(u.oldestTrackingNo ?? '-', u.oldestDays), size: 'sm', color: '#374151', wrap: true },
        // Nobody registered there: a nudge reaches nobody; taking the cases over is what helps.
        ...(u.unowned ? [{ type: 'text' as const, text: t.unownedUnitNote, size: 'sm' as const, color: '#b45309', weight: 'bold' as const, wrap: true }] : []),
      ],
    },
    footer: {
      type: 'box', layout: 'vertical',
      contents: [{
        type: 'button', style: 'primary', color: '#b91c1c', height: 'sm',
        action: { type: 'postback', label: t.nudgeButton, data: nudgeData(u.unitCode), displayText: `${t.nudgeButton} ${u.nameTh}`.slice(0, 300) },
      }],
    },
  }));
  return {
    type: 'flex',
    altText: t.lateUnitsAlt(totals.units, totals.cases),
    contents: bubbles.length === 1 ? bubbles[0] : { type: 'carousel', contents: bubbles },
  };
}

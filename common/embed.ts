// The room the widget's elements take once drawn, for the page to keep before their script has
// run: without it the page's footer and everything below is pushed down when `/widget.js`
// arrives (a layout shift Google counts against the merchant's site). The widget is 52em tall on
// a phone and 43em from 600px wide (`.base` in widget/fidelio-widget.ts), the reviews 146px in
// every state but a list (widget/fidelio-reviews.ts); both in px, since the widget sets its own
// 16px font whatever the page's. The Website screen's snippet, the hosted pages and the demo café
// use these (test/browser/embed-room.test.ts holds them to the drawn sizes, in each engine;
// test/common/embed.test.ts holds the demo café's copy to them).

/** `<fidelio-widget>`'s style until it is defined. */
export const WIDGET_ROOM = 'display:block;min-height:clamp(688px,(600px - 100vw)*1000,832px)';

/** `<fidelio-reviews>`'s style until it is defined (loading, empty and error take the same room). */
export const REVIEWS_ROOM = 'display:block;min-height:146px';

/**
 * The widget's entry, built into `dist/widget/widget.js` and served at `/widget.js`:
 *
 *   <script type="module" src="https://HOST/widget.js"></script>
 *   <fidelio-widget program="SLUG"></fidelio-widget>
 *
 * The API is the script's own origin (an element's `api` attribute overrides it). Every
 * element is defined only if its tag is free, so loading the script twice is harmless.
 */
import { define } from '../common/define.ts';
import { FidelioCard } from './fidelio-card.ts';
import { FidelioReferral } from './fidelio-referral.ts';
import { FidelioReview } from './fidelio-review.ts';
import { FidelioReviews } from './fidelio-reviews.ts';
import { FidelioSurvey } from './fidelio-survey.ts';
import { FidelioWidget } from './fidelio-widget.ts';

define('fidelio-card', FidelioCard);
define('fidelio-review', FidelioReview);
define('fidelio-survey', FidelioSurvey);
define('fidelio-referral', FidelioReferral);
define('fidelio-reviews', FidelioReviews);
define('fidelio-widget', FidelioWidget);

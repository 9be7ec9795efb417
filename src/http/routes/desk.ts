// The analyst's desk route modules (search, feed health, feedback, stories across days), registered after the digest pages.
import type { RouteModule } from '../deps.js';
import { registerFeedbackRoutes } from './feedback.js';
import { registerFeedRoutes } from './feeds.js';
import { registerSearchRoutes } from './search.js';
import { registerStoryRoutes } from './stories.js';

export const DESK_ROUTES: RouteModule[] = [registerSearchRoutes, registerFeedRoutes, registerFeedbackRoutes, registerStoryRoutes];

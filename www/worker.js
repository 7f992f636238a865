// The training worker (started by the element, spawn.js): service.js answers the requests of
// protocol.js.
import { serve } from './service.js';

serve();

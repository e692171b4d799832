// The Debian step of scripts/install-deps.sh: the same planning and apt-get as `npm start`
// (installMissingPackages in shared/infra/launcher.ts). Usage: node scripts/install-packages.ts start|test
import { installMissingPackages } from '../shared/infra/launcher.ts';

installMissingPackages(process.argv[2] === 'start' ? 'start' : 'test');

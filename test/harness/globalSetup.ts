import { clearLeakLog } from './leakCheck';

export default function globalSetup(): void {
	clearLeakLog();
}

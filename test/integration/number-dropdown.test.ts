/**
 * The Number field's From List mode: the node's listSearch method, called through n8n-core's
 * LoadOptionsContext as the editor calls it, against the sandbox.
 */
import { listSearch } from '../harness/n8n';
import { useSandbox } from '../sandbox/lifecycle';
import { acmeIds } from './helpers';

// A trailing slash in the credential must not break any URL.
const { sandbox, credentials } = useSandbox({ baseUrl: (url) => `${url}/` });

describe('Number list search (the editor dropdown)', () => {
	it('lists the account numbers as name and phone, filtered by what the user types', async () => {
		const all = await listSearch({ method: 'searchNumbers', credentials });
		expect(all.results.map((result) => result.value)).toEqual(acmeIds(sandbox));
		expect(all.results[0]).toEqual({ name: 'My WhatsApp · 5511999999999', value: 'wa_abc' });
		const found = await listSearch({ method: 'searchNumbers', filter: 'support', credentials });
		expect(found.results).toEqual([{ name: 'Support QR · 5521977776666', value: 'wa_qr_support' }]);
	});

	it('finds numbers by their id too, which the entries do not show', async () => {
		const found = await listSearch({ method: 'searchNumbers', filter: 'QR_', credentials });
		expect(found.results).toEqual([
			{ name: 'Support QR · 5521977776666', value: 'wa_qr_support' },
			{ name: 'Old phone · 5531966665555', value: 'wa_qr_old' },
		]);
	});
});

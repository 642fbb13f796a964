'use strict';
/**
 * The description n8n gives a `usableAsTool` node's tool variant, as n8n's convertNodeToAiTool
 * (n8n 2.41.1, packages/cli: `n8n/dist/tool-generation/ai-tools.js`) builds it, for nodes that
 * declare their own `toolDescription` parameter (n8n then adds none): type name + `Tool`, no main
 * input, an `ai_tool` output. The n8n package itself is not a dependency here; the end-to-end
 * MCP test (e2e/mcp.e2e.test.js) runs the real conversion.
 */

/**
 * @param {import('n8n-workflow').INodeTypeDescription} description The node's own description.
 * @returns {import('n8n-workflow').INodeTypeDescription}
 */
function toolDescription(description) {
	if (!description.properties.some((property) => property.name === 'toolDescription')) {
		throw new Error(
			`${description.name} has no toolDescription parameter: n8n would add its own, not modelled here`,
		);
	}
	const copy = structuredClone(description);
	delete copy.usableAsTool;
	return {
		...copy,
		name: `${description.name}Tool`,
		displayName: `${description.displayName} Tool`,
		inputs: [],
		outputs: [/** @type {import('n8n-workflow').NodeConnectionType} */ ('ai_tool')],
	};
}

module.exports = { toolDescription };

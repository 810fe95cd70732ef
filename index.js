// The package catalog: every operation each provider node covers, as data
// ({ resource, operation, title, method, path, command?, credential }). The nodes read the same lists.
const { cleverReachCatalog } = require('./dist/nodes/CleverReach/operations');
const { emailGatewayCatalog } = require('./dist/nodes/EmailGateway/operations');
const { especialCatalog } = require('./dist/nodes/Especial/operations');
const { smsByCatalog } = require('./dist/nodes/SmsBy/operations');

module.exports = {
	operations: {
		cleverReach: cleverReachCatalog,
		emailGateway: emailGatewayCatalog,
		especial: especialCatalog,
		smsBy: smsByCatalog,
	},
};

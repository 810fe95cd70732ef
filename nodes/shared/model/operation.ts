import type { IDataObject, IExecuteFunctions, IHttpRequestMethods } from 'n8n-workflow';


/** How a field's value is checked and turned into what the provider expects. */
export type FieldFormat =
	| 'email'
	| 'url'
	| 'domainName'
	| 'date' // YYYY-MM-DD
	| 'dateTime' // YYYY-MM-DD HH:MM:SS (UTC)
	| 'unixTime' // seconds since epoch
	| 'zonedMinute' // YYYY-MM-DD HH:MM in the workflow's time zone
	| 'flag01' // boolean sent as 1 / 0
	| 'integer'
	// Goes into an email header (subject, sender / recipient names, tags): no CR, LF or NUL.
	| 'headerText'
	// An email header's name (RFC 5322: printable ASCII 33-126 except ':'). On a fixedCollection of
	// name/value pairs: every name is one and every value is headerText.
	| 'headerName';

/** How a resource locator field lets the user pick a thing (group, list, domain, template). */
export interface ResourceLocatorDefinition {
	/** Name of a `methods.listSearch` function: adds the "From List" mode. */
	searchMethod?: string;
	/** Whether the list can be filtered by typing (the search method receives the filter). */
	searchable?: boolean;
	/** Regex the "By ID" mode accepts; it must match the whole value (n8n anchors it). */
	idPattern?: string;
	idPlaceholder?: string;
	/**
	 * Regex of a whole URL with one group, the id, that the "By URL" mode extracts: adds that mode. It must
	 * match the whole URL (n8n anchors it): end it with `(?:/.*)?` to accept deeper pages.
	 */
	urlPattern?: string;
	urlPlaceholder?: string;
}

/** One input of an operation, described once and turned into an n8n parameter and a request field. */
export interface FieldDefinition {
	/** n8n parameter name (camelCase). */
	name: string;
	displayName: string;
	/** Key in the request body or query, exactly as the provider names it. */
	apiName: string;
	type:
		| 'string'
		| 'number'
		| 'boolean'
		| 'options'
		| 'multiOptions'
		| 'dateTime'
		| 'json'
		| 'collection'
		| 'fixedCollection'
		| 'resourceLocator';
	required?: boolean;
	/** Shown on its own (not under Additional Fields) although optional. Required fields always are. */
	main?: boolean;
	default?: string | number | boolean | string[] | IDataObject;
	description?: string;
	placeholder?: string;
	options?: Array<{ name: string; value: string | number; description?: string }>;
	format?: FieldFormat;
	/** Loads choices from the provider (name of a `methods.loadOptions` function). */
	loadOptionsMethod?: string;
	/**
	 * Where the value goes; defaults to the query for GET and the body otherwise. A path field fills the
	 * `{apiName}` placeholder of the operation's path (URL-encoded) and is always required.
	 */
	location?: 'body' | 'query' | 'path' | 'header';
	/**
	 * Shown (and read) only while other fields of the operation have one of these values, keyed by the
	 * other field's `name` (displayOptions from data). Fields under Additional Fields may depend on
	 * top-level fields and on each other.
	 */
	showWhen?: Record<string, Array<string | number | boolean>>;
	/** multiOptions: sent as one string joined with this separator instead of an array. */
	separator?: string;
	/**
	 * collection: its optional sub-fields, sent as one object keyed by their API names.
	 * fixedCollection: the fields of one entry; every entry becomes one object of an array.
	 */
	fields?: FieldDefinition[];
	/**
	 * fixedCollection of name/value pairs (headers, custom fields): sent as one object {name: value}, or,
	 * with `keyApiName`/`valueApiName`, as an array [{[keyApiName]: name, [valueApiName]: value}].
	 */
	pairs?: { nameLabel?: string; valueLabel?: string; keyApiName?: string; valueApiName?: string };
	/** Label of one entry of a fixedCollection ("Header", "Receiver"). */
	entryName?: string;
	/** resourceLocator: the ways a user can pick the thing (From List, By ID, By URL). */
	locator?: ResourceLocatorDefinition;
	minValue?: number;
	maxValue?: number;
	/**
	 * Checks from the provider's specification (Especial's OpenAPI file, documented limits), applied before
	 * any request to fixed values and expression results alike. Lengths count characters; `pattern` is a
	 * regex source that must match the whole value.
	 */
	minLength?: number;
	maxLength?: number;
	pattern?: string;
	/** json: the shape its parsed value must have (from the provider's schema), checked like the limits above. */
	jsonShape?: JsonShape;
	/** Multi-line text input. */
	rows?: number;
	password?: boolean;
}

export interface OffsetPaginationStyle {
	style: 'offset';
	offsetKey: string;
	countKey: string;
	maxPageSize: number;
	itemsKey: string;
	totalKey?: string;
}

export interface PagePaginationStyle {
	style: 'page';
	pageKey: string;
	perPageKey: string;
	firstPage: number;
	maxPageSize: number;
	itemsKey: string;
	totalKey?: string;
}

export interface CursorPaginationStyle {
	style: 'cursor';
	cursorKey: string;
	countKey: string;
	maxPageSize: number;
	itemsKey: string;
	/** Path (dot separated) of the next cursor in a response; empty or missing means last page. */
	nextCursorPath: string;
}

export type PaginationStyle = OffsetPaginationStyle | PagePaginationStyle | CursorPaginationStyle;

/** A file sent in a multipart body. */
export interface FileUpload {
	/** Form field name the provider expects, e.g. "attachment". */
	field: string;
	data: Buffer;
	fileName: string;
	mimeType: string;
}

/**
 * A rate limit: at most `requests` requests per `perMs` milliseconds (per credential). Where a provider
 * documents one, its profile declares it and the node spaces its requests to keep it (shared/http/pacing.ts).
 */
export interface RateLimit {
	requests: number;
	perMs: number;
}

/** A request as operations describe it, before authentication and base URL are applied. */
export interface RequestSpec {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	/** A JSON body that is a list, not an object (CleverReach takes its receiver upserts as `[{...}, ...]`); replaces `body`. */
	listBody?: IDataObject[];
	qs?: IDataObject;
	headers?: IDataObject;
	bodyType?: 'json' | 'form' | 'multipart';
	/** Files of a multipart body (bodyType 'multipart'). */
	files?: FileUpload[];
	/** Safe to repeat after a 5xx or a dropped connection (reads, deletes by id). */
	idempotent: boolean;
	/** Milliseconds to wait for the answer to one attempt (default 60 000). */
	timeout?: number;
	/**
	 * Base URL of this request instead of the credential's `baseUrl`: an endpoint outside the API's usual
	 * root, or a credential (OAuth2) that has no base URL field.
	 */
	baseUrl?: string;
	/** What a successful answer holds (default: the profile's, else JSON; JSON or nothing for DELETE). */
	expects?: ExpectedAnswer;
}

/**
 * How a batched result or rejection finds its item within a chunk: by its position (or an index the
 * answer gives, `indexKey`, counted from `firstIndex`), or by a value the record and the answer share.
 */
export type BatchMatch =
	| { by: 'index'; indexKey?: string; firstIndex?: 0 | 1 }
	/** Compared trimmed and case-insensitively. */
	| { by: 'email'; recordKey: string; resultKey: string }
	| { by: 'id'; recordKey: string; resultKey: string };

/**
 * Batch mode: all items of a run that share everything but their record go out as one request per chunk
 * (records under `recordsKey`), and the answer's per-row results and rejections go back to their items.
 */
export interface BatchDefinition {
	/** Most records one request may carry (the provider's documented maximum); HTTP 413 halves it for the run. */
	maxSize: number;
	/** Body key of the records list, e.g. "receivers", "delivery_list", "data". */
	recordsKey: string;
	/** API names of body fields that belong to the request, not the record (same for the whole chunk). */
	sharedFields?: string[];
	/** One item's record from its body fields (default: the body fields that are not shared). */
	toRecord?: (record: IDataObject, context: OperationContext) => IDataObject;
	/** Builds the request body of a chunk when the records are not a plain list (default: `{ ...shared, [recordsKey]: records }`). */
	chunkBody?: (records: IDataObject[], shared: IDataObject) => IDataObject;
	/** Per-row results: dot path of the list in the answer ('' for the answer itself). Omitted: an accepted item outputs the record it sent. */
	results?: { path: string; match: BatchMatch };
	/**
	 * Without per-row results: dot path of an object in the answer that every accepted item of the chunk
	 * outputs beside its record (the mailing's `uuid`, an import's counts), so each item can find its request.
	 */
	chunkResultPath?: string;
	/** Per-row rejections: dot path of the list, how a row finds its item, and where its message (and code) are. Rows with an empty message are not rejections. */
	rejections?: { path: string; match: BatchMatch; messageKey: string; codeKey?: string };
	/**
	 * Chunk requests in flight at once (default BATCH_CONCURRENCY, never above the run's Max Requests at Once;
	 * one with "One at a Time, in Order"). After a failed chunk no new chunk starts; those in flight finish.
	 */
	concurrency?: number;
}

export interface OperationContext {
	ctx: IExecuteFunctions;
	itemIndex: number;
	operation: OperationDefinition;
}

/** An operation of a provider, as data: the node's UI, the request and the catalog all read it. */
export interface OperationDefinition {
	resource: string;
	/** Value of the Operation dropdown (unique per resource). */
	operation: string;
	/** Label of the Operation dropdown. */
	name: string;
	/** Action label shown in the nodes panel and to AI agents. */
	action: string;
	description: string;
	/** The operation's title exactly as the provider's documentation writes it. */
	title: string;
	method: IHttpRequestMethods;
	path: string;
	/** Command name for command-style APIs (one endpoint, a `Command` field picks the action). */
	command?: string;
	/**
	 * Credential type this operation authenticates with. Two definitions of one resource/operation with
	 * different credentials are one operation in the editor: its Authentication option (whose values
	 * are credential type names) picks the definition.
	 */
	credential: string;
	/** That credential as the user sees it ("Sender API Key"), for messages; its type name otherwise. */
	credentialLabel?: string;
	fields: FieldDefinition[];
	/** Safe to repeat after a 5xx or a dropped connection. */
	idempotent: boolean;
	/** Key of the response holding a list: each element becomes one output item. */
	itemsKey?: string;
	pagination?: PaginationStyle;
	/** Documented meaning of each error code this operation can return. */
	errorCodes?: Record<string, string>;
	/** Checks and reshapes fields that do not fit the generic field list (recipient lists...). Runs for every item before any is sent. */
	buildBody?: (context: OperationContext, body: IDataObject) => Promise<void> | void;
	/** Loads what is heavy (file contents) right before this item's request, so a batch never holds every file at once. */
	finishBody?: (context: OperationContext, body: IDataObject) => Promise<void> | void;
	/** Sends the items of a run in chunks, one request per chunk (see BatchDefinition). */
	batch?: BatchDefinition;
	/**
	 * Custom logic instead of the one request (Check Trigger Webhooks: a list compared with what a trigger
	 * registers). Runs in the send phase, after every item's fields were read and checked (readFields,
	 * buildBody), with this item's fields and the provider client; its result is the item's output (a list:
	 * one item each). Continue On Fail, paired items and error shaping are the executor's, as for a request.
	 * `method` and `path` still say what it sends, for the catalog.
	 */
	run?: (context: OperationContext, fields: RequestFields, client: ProviderClient) => Promise<IDataObject | IDataObject[]>;
}

/** What the package catalog (index.js) publishes about an operation. */
export interface CatalogEntry {
	resource: string;
	operation: string;
	title: string;
	method: string;
	path: string;
	command?: string;
	/** Credential type the operation authenticates with. */
	credential: string;
}

/**
 * What a successful answer to a call holds.
 * - `json`: a JSON document. Short plain text ("OK") is returned as `{ data }`; an empty body, an HTML
 *   page or JSON that cannot be read (cut off, malformed) is not an answer of the API, but of something
 *   in front of it (a proxy, a maintenance page, a wrong Base URL) or of a broken connection.
 * - `jsonOrEmpty`: the same, and an empty body is a success too (deletes; the default for DELETE).
 * - `text`: any text, HTML and empty included, returned as `{ data }`.
 * Whatever is expected, HTTP 204 / 205 carry no body by definition and are successes.
 */
export type ExpectedAnswer = 'json' | 'jsonOrEmpty' | 'text';

/**
 * The shape a raw JSON field's value must have: a small subset of JSON Schema, written by the Especial
 * generator from the OpenAPI file (types, required keys, enums, text and number limits, list sizes,
 * alternatives). Keys the shape does not name are let through, as the API's own schemas do.
 */
export interface JsonShape {
	type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
	properties?: Record<string, JsonShape>;
	required?: string[];
	items?: JsonShape;
	/** The value matches one of these. */
	anyOf?: JsonShape[];
	/** null is accepted too. */
	nullable?: boolean;
	enum?: Array<string | number | boolean>;
	minLength?: number;
	maxLength?: number;
	/** Regex source that must match the whole text. */
	pattern?: string;
	/** uri: http(s); headerText: ends up in an email header (no CR, LF or NUL). */
	format?: 'email' | 'uri' | 'headerText';
	minimum?: number;
	maximum?: number;
	minItems?: number;
	maxItems?: number;
}

/** The fields of one request, keyed as the provider names them. */
export interface RequestFields {
	body: IDataObject;
	qs: IDataObject;
	/** Values of the path placeholders (`{apiName}`), not yet encoded. */
	path?: IDataObject;
	headers?: IDataObject;
}

/** A provider folder's way to send one operation. */
export interface ProviderClient {
	call(
		context: IExecuteFunctions,
		operation: OperationDefinition,
		fields: RequestFields,
		itemIndex: number,
	): Promise<IDataObject>;
}

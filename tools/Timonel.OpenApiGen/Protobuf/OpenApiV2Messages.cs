using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Timonel.OpenApiGen.Protobuf.GnosticFieldKind;

namespace Timonel.OpenApiGen.Protobuf;

/// <summary>
/// The messages of gnostic's OpenAPIv2.proto (github.com/google/gnostic-models/openapiv2/OpenAPIv2.proto, package
/// openapi.v2) with their field numbers, and for each oneof the rule by which gnostic's parser (OpenAPIv2.go,
/// NewParameter, NewSchemaItem...) tells the alternatives apart. <see cref="Document"/> is the root that kube-openapi
/// serves as /openapi/v2 in protobuf.
/// </summary>
internal static partial class OpenApiV2Messages
{
    public static readonly GnosticMessage Document = new("Document");

    private static readonly GnosticMessage _info = new("Info");
    private static readonly GnosticMessage _contact = new("Contact");
    private static readonly GnosticMessage _license = new("License");
    private static readonly GnosticMessage _externalDocs = new("ExternalDocs");
    private static readonly GnosticMessage _tag = new("Tag");
    private static readonly GnosticMessage _paths = new("Paths");
    private static readonly GnosticMessage _pathItem = new("PathItem");
    private static readonly GnosticMessage _operation = new("Operation");
    private static readonly GnosticMessage _parametersItem = new("ParametersItem");
    private static readonly GnosticMessage _jsonReference = new("JsonReference");
    private static readonly GnosticMessage _parameter = new("Parameter");
    private static readonly GnosticMessage _bodyParameter = new("BodyParameter");
    private static readonly GnosticMessage _nonBodyParameter = new("NonBodyParameter");
    private static readonly GnosticMessage _headerParameter = new("HeaderParameterSubSchema");
    private static readonly GnosticMessage _formDataParameter = new("FormDataParameterSubSchema");
    private static readonly GnosticMessage _queryParameter = new("QueryParameterSubSchema");
    private static readonly GnosticMessage _pathParameter = new("PathParameterSubSchema");
    private static readonly GnosticMessage _primitivesItems = new("PrimitivesItems");
    private static readonly GnosticMessage _header = new("Header");
    private static readonly GnosticMessage _headers = new("Headers");
    private static readonly GnosticMessage _responses = new("Responses");
    private static readonly GnosticMessage _responseValue = new("ResponseValue");
    private static readonly GnosticMessage _response = new("Response");
    private static readonly GnosticMessage _examples = new("Examples");
    private static readonly GnosticMessage _schemaItem = new("SchemaItem");
    private static readonly GnosticMessage _fileSchema = new("FileSchema");
    private static readonly GnosticMessage _schema = new("Schema");
    private static readonly GnosticMessage _additionalPropertiesItem = new("AdditionalPropertiesItem");
    private static readonly GnosticMessage _typeItem = new("TypeItem");
    private static readonly GnosticMessage _itemsItem = new("ItemsItem");
    private static readonly GnosticMessage _properties = new("Properties");
    private static readonly GnosticMessage _definitions = new("Definitions");
    private static readonly GnosticMessage _xml = new("Xml");
    private static readonly GnosticMessage _parameterDefinitions = new("ParameterDefinitions");
    private static readonly GnosticMessage _responseDefinitions = new("ResponseDefinitions");
    private static readonly GnosticMessage _securityRequirement = new("SecurityRequirement");
    private static readonly GnosticMessage _stringArray = new("StringArray");
    private static readonly GnosticMessage _securityDefinitions = new("SecurityDefinitions");
    private static readonly GnosticMessage _securityDefinitionsItem = new("SecurityDefinitionsItem");
    private static readonly GnosticMessage _basicAuthentication = new("BasicAuthenticationSecurity");
    private static readonly GnosticMessage _apiKey = new("ApiKeySecurity");
    private static readonly GnosticMessage _oauth2Implicit = new("Oauth2ImplicitSecurity");
    private static readonly GnosticMessage _oauth2Password = new("Oauth2PasswordSecurity");
    private static readonly GnosticMessage _oauth2Application = new("Oauth2ApplicationSecurity");
    private static readonly GnosticMessage _oauth2AccessCode = new("Oauth2AccessCodeSecurity");
    private static readonly GnosticMessage _oauth2Scopes = new("Oauth2Scopes");

    static OpenApiV2Messages()
    {
        Document.Define(
            Text("swagger", 1), One("info", 2, _info), Text("host", 3), Text("basePath", 4), List("schemes", 5),
            List("consumes", 6), List("produces", 7), One("paths", 8, _paths), One("definitions", 9, _definitions),
            One("parameters", 10, _parameterDefinitions), One("responses", 11, _responseDefinitions),
            Many("security", 12, _securityRequirement), One("securityDefinitions", 13, _securityDefinitions),
            Many("tags", 14, _tag), One("externalDocs", 15, _externalDocs), GnosticField.Extensions(16));
        _info.Define(
            Text("title", 1), Text("version", 2), Text("description", 3), Text("termsOfService", 4),
            One("contact", 5, _contact), One("license", 6, _license), GnosticField.Extensions(7));
        _contact.Define(Text("name", 1), Text("url", 2), Text("email", 3), GnosticField.Extensions(4));
        _license.Define(Text("name", 1), Text("url", 2), GnosticField.Extensions(3));
        _externalDocs.Define(Text("description", 1), Text("url", 2), GnosticField.Extensions(3));
        _tag.Define(Text("name", 1), Text("description", 2), One("externalDocs", 3, _externalDocs), GnosticField.Extensions(4));

        // Paths: "/..." keys are the paths (gnostic's pattern "^/"), "x-..." keys vendor extensions.
        _paths.Define(GnosticField.Extensions(1), GnosticField.Named(name => name.StartsWith('/'), 2, Message, _pathItem));
        _pathItem.Define(
            Text("$ref", 1), One("get", 2, _operation), One("put", 3, _operation), One("post", 4, _operation),
            One("delete", 5, _operation), One("options", 6, _operation), One("head", 7, _operation), One("patch", 8, _operation),
            Many("parameters", 9, _parametersItem), GnosticField.Extensions(10));
        _operation.Define(
            List("tags", 1), Text("summary", 2), Text("description", 3), One("externalDocs", 4, _externalDocs),
            Text("operationId", 5), List("produces", 6), List("consumes", 7), Many("parameters", 8, _parametersItem),
            One("responses", 9, _responses), List("schemes", 10), Flag("deprecated", 11), Many("security", 12, _securityRequirement),
            GnosticField.Extensions(13));

        // A parameter is a reference when it has "$ref" (JsonReference requires it), a body parameter when "in" is
        // "body", otherwise one of the four non-body kinds by its "in" (each sub-schema accepts only its own).
        _parametersItem.DefineOneof(
            value => HasRef(value) ? 2 : 1,
            GnosticField.Value(1, Message, _parameter), GnosticField.Value(2, Message, _jsonReference));
        _jsonReference.Define(Text("$ref", 1), Text("description", 2));
        _parameter.DefineOneof(
            value => In(value) == "body" ? 1 : 2,
            GnosticField.Value(1, Message, _bodyParameter), GnosticField.Value(2, Message, _nonBodyParameter));
        _bodyParameter.Define(
            Text("description", 1), Text("name", 2), Text("in", 3), Flag("required", 4), One("schema", 5, _schema),
            GnosticField.Extensions(6));
        _nonBodyParameter.DefineOneof(
            value => In(value) switch
            {
                "header" => 1,
                "formData" => 2,
                "query" => 3,
                "path" => 4,
                var other => throw new InvalidOperationException($"a parameter in \"{other}\" is none of header, formData, query, path"),
            },
            GnosticField.Value(1, Message, _headerParameter), GnosticField.Value(2, Message, _formDataParameter),
            GnosticField.Value(3, Message, _queryParameter), GnosticField.Value(4, Message, _pathParameter));
        _headerParameter.Define([.. NamedParameter(), .. Primitive(5), GnosticField.Extensions(22)]);
        _formDataParameter.Define([.. NamedParameter(), Flag("allowEmptyValue", 5), .. Primitive(6), GnosticField.Extensions(23)]);
        _queryParameter.Define([.. NamedParameter(), Flag("allowEmptyValue", 5), .. Primitive(6), GnosticField.Extensions(23)]);
        _pathParameter.Define([.. NamedParameter(), .. Primitive(5), GnosticField.Extensions(22)]);
        _primitivesItems.Define([.. Primitive(1), GnosticField.Extensions(18)]);
        _header.Define([.. Primitive(1), Text("description", 18), GnosticField.Extensions(19)]);
        _headers.Define(GnosticField.Named(_ => true, 1, Message, _header));

        // Responses: status codes and "default" (gnostic's pattern "^([0-9]{3})$|^(default)$"), then extensions.
        _responses.Define(GnosticField.Named(ResponseCode().IsMatch, 1, Message, _responseValue), GnosticField.Extensions(2));
        _responseValue.DefineOneof(
            value => HasRef(value) ? 2 : 1,
            GnosticField.Value(1, Message, _response), GnosticField.Value(2, Message, _jsonReference));
        _response.Define(
            Text("description", 1), One("schema", 2, _schemaItem), One("headers", 3, _headers), One("examples", 4, _examples),
            GnosticField.Extensions(5));
        _examples.Define(GnosticField.Named(_ => true, 1, Any));
        // FileSchema accepts only type "file"; anything else is a Schema.
        _schemaItem.DefineOneof(
            value => value is JsonObject schema && schema["type"] is JsonValue type && type.ToString() == "file" ? 2 : 1,
            GnosticField.Value(1, Message, _schema), GnosticField.Value(2, Message, _fileSchema));
        _fileSchema.Define(
            Text("format", 1), Text("title", 2), Text("description", 3), Yaml("default", 4), List("required", 5), Text("type", 6),
            Flag("readOnly", 7), One("externalDocs", 8, _externalDocs), Yaml("example", 9), GnosticField.Extensions(10));

        _schema.Define(
            Text("$ref", 1), Text("format", 2), Text("title", 3), Text("description", 4), Yaml("default", 5),
            Real("multipleOf", 6), Real("maximum", 7), Flag("exclusiveMaximum", 8), Real("minimum", 9), Flag("exclusiveMinimum", 10),
            Integer("maxLength", 11), Integer("minLength", 12), Text("pattern", 13), Integer("maxItems", 14), Integer("minItems", 15),
            Flag("uniqueItems", 16), Integer("maxProperties", 17), Integer("minProperties", 18), List("required", 19),
            GnosticField.Property("enum", 20, Anys), One("additionalProperties", 21, _additionalPropertiesItem),
            One("type", 22, _typeItem), One("items", 23, _itemsItem), Many("allOf", 24, _schema), One("properties", 25, _properties),
            Text("discriminator", 26), Flag("readOnly", 27), One("xml", 28, _xml), One("externalDocs", 29, _externalDocs),
            Yaml("example", 30), GnosticField.Extensions(31));
        _additionalPropertiesItem.DefineOneof(
            value => value is JsonValue ? 2 : 1,
            GnosticField.Value(1, Message, _schema), GnosticField.Value(2, Bool));
        // "type": "object" or "type": ["string", "null"]; "items": one schema.
        _typeItem.DefineOneof(_ => 1, GnosticField.Value(1, Strings));
        _itemsItem.DefineOneof(_ => 1, GnosticField.Value(1, Messages, _schema));
        _properties.Define(GnosticField.Named(_ => true, 1, Message, _schema));
        _definitions.Define(GnosticField.Named(_ => true, 1, Message, _schema));
        _xml.Define(
            Text("name", 1), Text("namespace", 2), Text("prefix", 3), Flag("attribute", 4), Flag("wrapped", 5),
            GnosticField.Extensions(6));
        _parameterDefinitions.Define(GnosticField.Named(_ => true, 1, Message, _parameter));
        _responseDefinitions.Define(GnosticField.Named(_ => true, 1, Message, _response));

        _securityRequirement.Define(GnosticField.Named(_ => true, 1, Message, _stringArray));
        _stringArray.DefineOneof(_ => 1, GnosticField.Value(1, Strings));
        _securityDefinitions.Define(GnosticField.Named(_ => true, 1, Message, _securityDefinitionsItem));
        // Each security scheme accepts only its own type (and for oauth2 its own flow).
        _securityDefinitionsItem.DefineOneof(
            value => (Property(value, "type"), Property(value, "flow")) switch
            {
                ("basic", _) => 1,
                ("apiKey", _) => 2,
                ("oauth2", "implicit") => 3,
                ("oauth2", "password") => 4,
                ("oauth2", "application") => 5,
                ("oauth2", "accessCode") => 6,
                var (type, flow) => throw new InvalidOperationException($"a security definition of type \"{type}\" (flow \"{flow}\") is none of basic, apiKey, oauth2"),
            },
            GnosticField.Value(1, Message, _basicAuthentication), GnosticField.Value(2, Message, _apiKey),
            GnosticField.Value(3, Message, _oauth2Implicit), GnosticField.Value(4, Message, _oauth2Password),
            GnosticField.Value(5, Message, _oauth2Application), GnosticField.Value(6, Message, _oauth2AccessCode));
        _basicAuthentication.Define(Text("type", 1), Text("description", 2), GnosticField.Extensions(3));
        _apiKey.Define(Text("type", 1), Text("name", 2), Text("in", 3), Text("description", 4), GnosticField.Extensions(5));
        _oauth2Implicit.Define(
            Text("type", 1), Text("flow", 2), One("scopes", 3, _oauth2Scopes), Text("authorizationUrl", 4), Text("description", 5),
            GnosticField.Extensions(6));
        _oauth2Password.Define(
            Text("type", 1), Text("flow", 2), One("scopes", 3, _oauth2Scopes), Text("tokenUrl", 4), Text("description", 5),
            GnosticField.Extensions(6));
        _oauth2Application.Define(
            Text("type", 1), Text("flow", 2), One("scopes", 3, _oauth2Scopes), Text("tokenUrl", 4), Text("description", 5),
            GnosticField.Extensions(6));
        _oauth2AccessCode.Define(
            Text("type", 1), Text("flow", 2), One("scopes", 3, _oauth2Scopes), Text("authorizationUrl", 4), Text("tokenUrl", 5),
            Text("description", 6), GnosticField.Extensions(7));
        _oauth2Scopes.Define(GnosticField.Named(_ => true, 1, GnosticFieldKind.String));
    }

    /// <summary>required, in, description, name: fields 1-4 of every non-body parameter sub-schema.</summary>
    private static GnosticField[] NamedParameter() => [Flag("required", 1), Text("in", 2), Text("description", 3), Text("name", 4)];

    /// <summary>
    /// The seventeen keywords that PrimitivesItems, Header and the non-body parameters share, in the same order from
    /// field <paramref name="first"/> on.
    /// </summary>
    private static GnosticField[] Primitive(int first) =>
    [
        Text("type", first), Text("format", first + 1), One("items", first + 2, _primitivesItems), Text("collectionFormat", first + 3),
        Yaml("default", first + 4), Real("maximum", first + 5), Flag("exclusiveMaximum", first + 6), Real("minimum", first + 7),
        Flag("exclusiveMinimum", first + 8), Integer("maxLength", first + 9), Integer("minLength", first + 10),
        Text("pattern", first + 11), Integer("maxItems", first + 12), Integer("minItems", first + 13), Flag("uniqueItems", first + 14),
        GnosticField.Property("enum", first + 15, Anys), Real("multipleOf", first + 16),
    ];

    private static GnosticField Text(string key, int number) => GnosticField.Property(key, number, GnosticFieldKind.String);

    private static GnosticField Flag(string key, int number) => GnosticField.Property(key, number, Bool);

    private static GnosticField Real(string key, int number) => GnosticField.Property(key, number, GnosticFieldKind.Double);

    private static GnosticField Integer(string key, int number) => GnosticField.Property(key, number, GnosticFieldKind.Int64);

    private static GnosticField List(string key, int number) => GnosticField.Property(key, number, Strings);

    private static GnosticField Yaml(string key, int number) => GnosticField.Property(key, number, Any);

    private static GnosticField One(string key, int number, GnosticMessage message) => GnosticField.Property(key, number, Message, message);

    private static GnosticField Many(string key, int number, GnosticMessage message) => GnosticField.Property(key, number, Messages, message);

    private static bool HasRef(JsonNode value) => value is JsonObject obj && obj.ContainsKey("$ref");

    private static string? In(JsonNode value) => Property(value, "in");

    private static string? Property(JsonNode value, string key) => value is JsonObject obj && obj[key] is JsonValue v ? v.ToString() : null;

    [GeneratedRegex("^([0-9]{3})$|^(default)$")]
    private static partial Regex ResponseCode();
}

using System.Text;

namespace Timonel.IntegrationTests;

/// <summary>Options upstream refuses, each with the status, reason and start of the message it answers with.</summary>
public static class RequestOptionsCorpus
{
    private const string ConfigMaps = "/api/v1/namespaces/{ns}/configmaps";
    private const string Existing = ConfigMaps + "/existing";
    private const string InterpretError = "couldn't get version/kind; json parse error: json: cannot unmarshal ";
    private const string InvalidDelete = "DeleteOptions.meta.k8s.io \"\" is invalid: ";
    private const string InvalidList = "ListOptions.meta.k8s.io \"\" is invalid: ";
    private const string DryRunBogus = "dryRun: Unsupported value: []string{\"Bogus\"}: supported values: \"All\"";

    // (method, path, body or null, code, reason, how the message starts)
    public static TheoryData<string, string, string?, int, string, string> Refused => new()
    {
        { "DELETE", Existing, """{"kind":"DeleteOptions","apiVersion":"v1","dryRun":"All"}""", 400, "BadRequest", "json: cannot unmarshal string into Go struct field DeleteOptions.dryRun of type []string" },
        { "DELETE", Existing, """{"kind":"DeleteOptions","apiVersion":"v1","dryRun":["Bogus"]}""", 422, "Invalid", InvalidDelete + DryRunBogus },
        { "DELETE", Existing, "[]", 400, "BadRequest", InterpretError + "array into Go value of type struct" },
        { "DELETE", Existing, "\"x\"", 400, "BadRequest", InterpretError + "string into Go value of type struct" },
        { "DELETE", Existing, """{"gracePeriodSeconds":"0"}""", 400, "BadRequest", "json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64" },
        { "DELETE", Existing, """{"preconditions":{"uid":5}}""", 400, "BadRequest", "json: cannot unmarshal number into Go struct field Preconditions.preconditions.uid of type types.UID" },
        { "DELETE", Existing, """{"kind":"Pod","apiVersion":"v1"}""", 400, "BadRequest", "no kind \"Pod\" is registered for version \"v1\"" },
        {
            "DELETE", Existing, """{"propagationPolicy":"Bogus"}""", 422, "Invalid",
            InvalidDelete + "propagationPolicy: Unsupported value: \"Bogus\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\""
        },
        { "DELETE", Existing, """{"propagationPolicy":"Orphan","orphanDependents":true}""", 422, "Invalid", InvalidDelete + "propagationPolicy: Invalid value: \"Orphan\": orphanDependents and deletionPropagation cannot be both set" },
        { "DELETE", Existing + "?dryRun=Bogus", null, 422, "Invalid", InvalidDelete + DryRunBogus },
        { "DELETE", Existing + "?gracePeriodSeconds=abc", null, 400, "BadRequest", "strconv.ParseInt: parsing \"abc\": invalid syntax" },
        { "DELETE", Existing + "?propagationPolicy=Bogus", null, 422, "Invalid", InvalidDelete + "propagationPolicy: Unsupported value: \"Bogus\"" },
        { "DELETE", Existing, """{"preconditions":{"uid":"wrong"}}""", 409, "Conflict", "Operation cannot be fulfilled on ConfigMap \"existing\": the UID in the precondition (wrong) does not match the UID in record (" },
        { "DELETE", Existing, """{"preconditions":{"resourceVersion":"1"}}""", 409, "Conflict", "Operation cannot be fulfilled on ConfigMap \"existing\": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (" },
        { "DELETE", ConfigMaps, """{"dryRun":"All"}""", 400, "BadRequest", "json: cannot unmarshal string into Go struct field DeleteOptions.dryRun of type []string" },
        { "DELETE", ConfigMaps + "?dryRun=Bogus", null, 422, "Invalid", InvalidDelete + DryRunBogus },
        { "DELETE", ConfigMaps + "?limit=abc", null, 400, "BadRequest", "strconv.ParseInt: parsing \"abc\": invalid syntax" },
        { "DELETE", ConfigMaps + "?resourceVersionMatch=Exact", null, 422, "Invalid", InvalidList + "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided" },
        { "GET", ConfigMaps + "?limit=abc", null, 400, "BadRequest", "strconv.ParseInt: parsing \"abc\": invalid syntax" },
        { "GET", ConfigMaps + "?timeoutSeconds=abc", null, 400, "BadRequest", "strconv.ParseInt: parsing \"abc\": invalid syntax" },
        { "GET", ConfigMaps + "?watch=true&timeoutSeconds=1e3", null, 400, "BadRequest", "strconv.ParseInt: parsing \"1e3\": invalid syntax" },
        { "GET", ConfigMaps + "?resourceVersion=0&resourceVersionMatch=Exact", null, 422, "Invalid", InvalidList + "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"" },
        { "GET", ConfigMaps + "?resourceVersion=5&resourceVersionMatch=Bogus", null, 422, "Invalid", InvalidList + "resourceVersionMatch: Unsupported value: \"Bogus\": supported values: \"Exact\", \"NotOlderThan\", \"\"" },
        { "GET", ConfigMaps + "?sendInitialEvents=true", null, 422, "Invalid", InvalidList + "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list" },
        { "GET", ConfigMaps + "?watch=true&sendInitialEvents=true", null, 422, "Invalid", InvalidList + "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan" },
        { "GET", ConfigMaps + "?resourceVersion=abc", null, 400, "BadRequest", "resourceVersion: Invalid value: \"abc\": strconv.ParseUint: parsing \"abc\": invalid syntax" },
        { "GET", ConfigMaps + "?watch=1&resourceVersion=abc", null, 400, "BadRequest", "resourceVersion: Invalid value: \"abc\": strconv.ParseUint: parsing \"abc\": invalid syntax" },
        { "GET", Existing + "?resourceVersion=-1", null, 400, "BadRequest", "resourceVersion: Invalid value: \"-1\": strconv.ParseUint: parsing \"-1\": invalid syntax" },
        { "GET", ConfigMaps + "?continue=!!!", null, 400, "BadRequest", "invalid continue token: continue key is not valid: illegal base64 data at input byte 0" },
        { "GET", ConfigMaps + "?continue=" + Token("garbage"), null, 400, "BadRequest", "invalid continue token: continue key is not valid: invalid character 'g' looking for beginning of value" },
        { "GET", ConfigMaps + "?continue=" + Token("""{"v":"meta.k8s.io/v2","rv":5,"start":"a"}"""), null, 400, "BadRequest", "invalid continue token: continue key is not valid: server does not recognize this encoded version meta.k8s.io/v2" },
        // A revision the store has not reached: the watch cache's answer to a too new version, not etcd's raw error.
        { "GET", ConfigMaps + "?limit=1&continue=" + Token("""{"v":"meta.k8s.io/v1","rv":999999999,"start":"a"}"""), null, 504, "Timeout", "Timeout: Too large resource version: 999999999, current: " },
        { "GET", ConfigMaps + "?resourceVersion=5&continue=" + Token("""{"v":"meta.k8s.io/v1","rv":5,"start":"a"}"""), null, 400, "BadRequest", "specifying resource version is not allowed when using continue" },
        { "POST", ConfigMaps + "?dryRun=Bogus", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"new"}}""", 422, "Invalid", "CreateOptions.meta.k8s.io \"\" is invalid: " + DryRunBogus },
        { "PUT", Existing + "?dryRun=Bogus", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"existing"}}""", 422, "Invalid", "UpdateOptions.meta.k8s.io \"\" is invalid: " + DryRunBogus },
    };


    private static string Token(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

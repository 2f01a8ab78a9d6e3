using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.ApiServer.Audit;
using Timonel.ApiServer.Auth;

namespace Timonel.ApiServer.Tests.Audit;

public sealed class AuditEventTests
{
    private static readonly DateTimeOffset _received = new(2024, 5, 14, 9, 30, 1, 123, 456, TimeSpan.Zero);

    [Fact]
    public void ToJsonLine_MetadataListEvent_IsUpstreamsDocumentedShape()
    {
        // The Metadata-level event of `kubectl get pods` as the Kubernetes auditing documentation shows it: fields in
        // audit/v1 Event's order, empty ones left out, timestamps with microseconds, Go's sorted annotations.
        var ev = new AuditEvent
        {
            Level = AuditLevel.Metadata,
            AuditId = "b8ef0b1b-6e0f-4bbf-a1d5-9e6c0fc3e9a1",
            Stage = AuditStage.ResponseComplete,
            RequestUri = "/api/v1/namespaces/default/pods?limit=500",
            Verb = "list",
            User = UserInfo.Authenticated("system:admin", [UserInfo.MastersGroup]),
            SourceIps = ["127.0.0.1"],
            UserAgent = "kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07",
            ObjectRef = new AuditObjectReference("pods", "default", null, "", "v1", null),
            ResponseStatus = new AuditResponseStatus(200),
            RequestReceivedTimestamp = _received,
            StageTimestamp = _received.AddTicks(52_340),
        };
        ev.Annotations["authorization.k8s.io/reason"] = "";
        ev.Annotations["authorization.k8s.io/decision"] = "allow";

        var line = Encoding.UTF8.GetString(ev.ToJsonLine());

        Assert.Equal(
            """{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"b8ef0b1b-6e0f-4bbf-a1d5-9e6c0fc3e9a1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/pods?limit=500","verb":"list","user":{"username":"system:admin","groups":["system:masters","system:authenticated"]},"sourceIPs":["127.0.0.1"],"userAgent":"kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07","objectRef":{"resource":"pods","namespace":"default","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2024-05-14T09:30:01.123456Z","stageTimestamp":"2024-05-14T09:30:01.128690Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":""}}"""
            + "\n",
            line);
    }

    [Fact]
    public void ToJsonLine_FailedRequest_CarriesTheStatusFieldsAndTheImpersonatedUser()
    {
        var ev = new AuditEvent
        {
            Level = AuditLevel.Metadata,
            AuditId = "id",
            Stage = AuditStage.ResponseComplete,
            RequestUri = "/api/v1/namespaces/default/secrets/s",
            Verb = "get",
            User = UserInfo.Authenticated("alice", []),
            ImpersonatedUser = new UserInfo("bob", ["devs"]),
            ObjectRef = new AuditObjectReference("secrets", "default", "s", "", "v1", null),
            ResponseStatus = new AuditResponseStatus(403) { Status = "Failure", Reason = "Forbidden", Message = "secrets \"s\" is forbidden", Details = new JsonObject { ["name"] = "s", ["kind"] = "secrets" } },
            RequestReceivedTimestamp = _received,
            StageTimestamp = _received,
        };

        var line = Encoding.UTF8.GetString(ev.ToJsonLine());

        Assert.Contains(""","impersonatedUser":{"username":"bob","groups":["devs"]},""", line, StringComparison.Ordinal);
        Assert.Contains(""","responseStatus":{"metadata":{},"status":"Failure","message":"secrets \"s\" is forbidden","reason":"Forbidden","details":{"name":"s","kind":"secrets"},"code":403},""", line, StringComparison.Ordinal);
        Assert.Contains(""","objectRef":{"resource":"secrets","namespace":"default","name":"s","apiVersion":"v1"},""", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recorder_RequestLevelCreate_WritesBothStagesWithTheRequestObject()
    {
        var policy = AuditPolicy.Parse("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: Request}]");
        var lines = await RecordAsync(policy, "create", "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"c\",\"managedFields\":[{}]}}");

        Assert.Equal(["RequestReceived", "ResponseComplete"], lines.Select(l => (string?)l["stage"]));
        Assert.Null(lines[0]["requestObject"]);
        Assert.Equal("""{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c","managedFields":[{}]}}""", lines[1]["requestObject"]!.ToJsonString());
        Assert.Equal("c", (string?)lines[1]["objectRef"]!["name"]);
        Assert.Equal(201, (int?)lines[1]["responseStatus"]!["code"]);
        Assert.Equal("allow", (string?)lines[1]["annotations"]!["authorization.k8s.io/decision"]);
        Assert.Equal(lines[0]["auditID"]!.ToJsonString(), lines[1]["auditID"]!.ToJsonString());
    }

    [Fact]
    public async Task Recorder_OmitStagesAndManagedFields_LeavesThemOut()
    {
        var policy = AuditPolicy.Parse("apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nomitManagedFields: true\nrules: [{level: RequestResponse}]");
        var lines = await RecordAsync(policy, "create", "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"c\",\"managedFields\":[{}]}}");

        var only = Assert.Single(lines);
        Assert.Equal("ResponseComplete", (string?)only["stage"]);
        Assert.Equal("""{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c"}}""", only["requestObject"]!.ToJsonString());
        Assert.Equal("""{"kind":"ConfigMap","metadata":{"name":"c"}}""", only["responseObject"]!.ToJsonString());
    }

    [Fact]
    public async Task Recorder_MetadataLevel_CarriesNoBodies()
    {
        var policy = AuditPolicy.Parse("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: Metadata}]");
        var lines = await RecordAsync(policy, "create", "{\"kind\":\"ConfigMap\"}");

        Assert.All(lines, l => Assert.Null(l["requestObject"]));
        Assert.All(lines, l => Assert.Null(l["responseObject"]));
    }

    [Fact]
    public async Task Begin_AnyRequest_EchoesTheClientsAuditIdOrMakesOne()
    {
        await using var auditor = new Auditor(null, null, TimeProvider.System);
        var given = new DefaultHttpContext();
        given.Request.Headers[Auditor.AuditIdHeader] = "mine";
        var fresh = new DefaultHttpContext();

        auditor.Begin(given);
        auditor.Begin(fresh);

        Assert.Equal("mine", given.Response.Headers[Auditor.AuditIdHeader].ToString());
        Assert.True(Guid.TryParse(fresh.Response.Headers[Auditor.AuditIdHeader].ToString(), out _));
    }

    /// <summary>One request through a recorder: the handler reads the body and answers 201 with a ConfigMap.</summary>
    private static async Task<List<JsonNode>> RecordAsync(AuditPolicy policy, string verb, string body)
    {
        var log = new MemoryStream();
        var backend = AuditLogBackend.ToStream(log, 100, NullLogger.Instance);
        var auditor = new Auditor(policy, backend, new FixedClock(_received));
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Response.Body = new MemoryStream();
        var user = UserInfo.Authenticated("alice", []);
        var attributes = new RequestAttributes(verb, "", "configmaps", null, "default", null, "/api/v1/namespaces/default/configmaps");

        var recorder = auditor.Begin(context);
        recorder.Received(user, attributes, "v1", longRunning: false);
        recorder.Authorized(AuthorizationDecision.Allow);
        await context.Request.Body.CopyToAsync(Stream.Null);
        context.Response.StatusCode = 201;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"managedFields\":[{}]}}"));
        await recorder.CompleteAsync();
        await auditor.DisposeAsync();

        return Encoding.UTF8.GetString(log.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
    }
}

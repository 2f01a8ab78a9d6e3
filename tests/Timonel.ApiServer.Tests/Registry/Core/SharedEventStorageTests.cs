using System.Text;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Watch;

namespace Timonel.ApiServer.Tests.Registry.Core;

/// <summary>core/v1 and events.k8s.io/v1 Events are one set of objects in one key space, each API showing its own form.</summary>
public sealed class SharedEventStorageTests : IAsyncLifetime
{
    private StoreHarness _harness = null!;

    private GenericStore Core => _harness.Store("", "events");

    private GenericStore EventsApi => _harness.Store("events.k8s.io", "events");

    public async Task InitializeAsync() => _harness = await StoreHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Create_ThroughEventsApi_StoredAsCoreEventUnderCoreKey()
    {
        await EventsApi.CreateAsync("default", EventsApiEvent("scheduled"), dryRun: false, CancellationToken.None);

        var kv = await _harness.Storage.GetAsync("/registry/events/default/scheduled");
        var stored = JsonNode.Parse(Encoding.UTF8.GetString(kv!.Value))!.AsObject();

        Assert.Equal("v1", stored["apiVersion"]?.GetValue<string>());
        Assert.Equal("Successfully assigned default/web to n1", stored["message"]?.GetValue<string>());
        Assert.Equal("{\"kind\":\"Pod\",\"namespace\":\"default\",\"name\":\"web\"}", JsonPath.Json(stored, "involvedObject"));
        Assert.Equal("\"default-scheduler\"", JsonPath.Json(stored, "reportingComponent"));
        Assert.Null(await _harness.Storage.GetAsync("/registry/events.k8s.io/events/default/scheduled"));
    }

    [Fact]
    public async Task Get_ThroughCore_EventCreatedThroughEventsApi_InCoreForm()
    {
        var created = await EventsApi.CreateAsync("default", EventsApiEvent("scheduled"), dryRun: false, CancellationToken.None);

        var read = await Core.GetAsync("default", "scheduled", CancellationToken.None);

        Assert.Equal("v1", read["apiVersion"]?.GetValue<string>());
        Assert.Equal("Successfully assigned default/web to n1", read["message"]?.GetValue<string>());
        Assert.Equal("web", JsonPath.Get(read, "involvedObject/name")?.GetValue<string>());
        Assert.Equal("default-scheduler", read["reportingComponent"]?.GetValue<string>());
        Assert.Equal("missing", JsonPath.Json(read, "note"));
        Assert.Equal(created.ResourceVersion(), read.ResourceVersion());
        Assert.Equal(created.Uid(), read.Uid());
    }

    [Fact]
    public async Task Create_ThroughEventsApi_AnswersWhatAReadShows()
    {
        var created = await EventsApi.CreateAsync("default", EventsApiEvent("scheduled"), dryRun: false, CancellationToken.None);

        var read = await EventsApi.GetAsync("default", "scheduled", CancellationToken.None);

        Assert.Equal(read.ToJsonString(), created.ToJsonString());
        Assert.Equal("{}", JsonPath.Json(created, "deprecatedSource"));
        Assert.True(created.ContainsKey("deprecatedFirstTimestamp"));
        Assert.Null(created["deprecatedFirstTimestamp"]);
    }

    [Fact]
    public async Task List_ThroughEventsApi_EventCreatedThroughCore_InEventsApiForm()
    {
        await Core.CreateAsync("default", CoreEvent("pulled", "web"), dryRun: false, CancellationToken.None);

        var list = await EventsApi.ListAsync("default", ListQuery.All, CancellationToken.None);
        var item = Assert.Single(list["items"]!.AsArray())!.AsObject();

        Assert.Equal("events.k8s.io/v1", list["apiVersion"]?.GetValue<string>());
        Assert.Equal("events.k8s.io/v1", item["apiVersion"]?.GetValue<string>());
        Assert.Equal("Container image pulled", item["note"]?.GetValue<string>());
        Assert.Equal("web", JsonPath.Get(item, "regarding/name")?.GetValue<string>());
        Assert.Equal("{\"component\":\"kubelet\",\"host\":\"n1\"}", JsonPath.Json(item, "deprecatedSource"));
        Assert.Equal(2, JsonPath.Get(item, "deprecatedCount")?.GetValue<int>());
        Assert.Equal("missing", JsonPath.Json(item, "message"));
    }

    [Fact]
    public async Task ListPaged_ThroughEventsApi_ConvertsEveryPage()
    {
        await Core.CreateAsync("default", CoreEvent("a", "web"), dryRun: false, CancellationToken.None);
        await Core.CreateAsync("default", CoreEvent("b", "web"), dryRun: false, CancellationToken.None);

        var page = await EventsApi.ListAsync(null, new ListQuery { Limit = 1 }, CancellationToken.None);

        Assert.Equal("Container image pulled", JsonPath.Get(page, "items/0/note")?.GetValue<string>());
        Assert.NotNull(JsonPath.Get(page, "metadata/continue"));
    }

    [Theory]
    [InlineData("regarding.name=web", new[] { "a" })]
    [InlineData("regarding.kind=Pod,reportingController=kubelet", new[] { "a", "b" })]
    [InlineData("source=kubelet,regarding.name!=web", new[] { "b" })]
    [InlineData("metadata.name=b", new[] { "b" })]
    public async Task List_ThroughEventsApi_FieldSelectorInItsOwnNames(string selector, string[] expected)
    {
        await Core.CreateAsync("default", CoreEvent("a", "web"), dryRun: false, CancellationToken.None);
        await Core.CreateAsync("default", CoreEvent("b", "db"), dryRun: false, CancellationToken.None);

        var query = new ListQuery { Filter = SelectorFilter.Build("", selector, EventsApi.Definition) };
        var list = await EventsApi.ListAsync("default", query, CancellationToken.None);

        Assert.Equal(expected, list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void FieldSelector_CoreNameOnEventsApi_IsRefusedAsUpstreamDoes()
    {
        var error = Assert.Throws<StatusException>(() => SelectorFilter.Build("", "involvedObject.name=web", EventsApi.Definition));

        Assert.Equal(400, error.Code);
        Assert.Equal("field label not supported: involvedObject.name", error.Message);
    }

    [Fact]
    public async Task Patch_ThroughEventsApi_EventCreatedThroughCore_CoreSeesTheChange()
    {
        await Core.CreateAsync("default", CoreEvent("pulled", "web"), dryRun: false, CancellationToken.None);

        await EventsApi.GuaranteedUpdateAsync("default", "pulled", current =>
        {
            current["series"] = JsonNode.Parse("""{"count":2,"lastObservedTime":"2026-01-02T03:06:05.000000Z"}""");
            current.Metadata()["labels"] = new JsonObject { ["seen"] = "twice" };
            return current;
        }, EventsApi.Definition.Strategy, dryRun: false, CancellationToken.None);
        var read = await Core.GetAsync("default", "pulled", CancellationToken.None);

        Assert.Equal("{\"count\":2,\"lastObservedTime\":\"2026-01-02T03:06:05.000000Z\"}", JsonPath.Json(read, "series"));
        Assert.Equal("twice", JsonPath.Get(read, "metadata/labels/seen")?.GetValue<string>());
        Assert.Equal("Container image pulled", read["message"]?.GetValue<string>());
    }

    // ValidateEventUpdate: through events.k8s.io/v1 an event's content is immutable, named by its core fields.
    [Fact]
    public async Task Patch_ThroughEventsApi_NoteAndCount_RefusedAsImmutable()
    {
        await Core.CreateAsync("default", CoreEvent("pulled", "web"), dryRun: false, CancellationToken.None);

        var error = await Assert.ThrowsAsync<StatusException>(() => EventsApi.GuaranteedUpdateAsync("default", "pulled", current =>
        {
            current["note"] = "pulled again";
            current["deprecatedCount"] = 3;
            return current;
        }, EventsApi.Definition.Strategy, dryRun: false, CancellationToken.None));

        Assert.Equal(422, error.Code);
        Assert.Equal("Event.events.k8s.io \"pulled\" is invalid: [message: Invalid value: \"pulled again\": field is immutable, count: Invalid value: 3: field is immutable]", error.Message);
    }

    [Fact]
    public async Task Update_ThroughEventsApi_UnchangedEvent_KeepsResourceVersion()
    {
        var created = await Core.CreateAsync("default", CoreEvent("pulled", "web"), dryRun: false, CancellationToken.None);
        var served = await EventsApi.GetAsync("default", "pulled", CancellationToken.None);
        // A client that leaves out what Go writes for an empty field (eventTime: null) changes nothing.
        served.Remove("eventTime");

        var updated = await EventsApi.UpdateAsync("default", "pulled", served, EventsApi.Definition.Strategy, dryRun: false, CancellationToken.None);

        Assert.Equal(created.ResourceVersion(), updated.ResourceVersion());
    }

    [Fact]
    public async Task Delete_ThroughEventsApi_RemovesTheCoreEvent()
    {
        await Core.CreateAsync("default", CoreEvent("pulled", "web"), dryRun: false, CancellationToken.None);

        var (deleted, removed) = await EventsApi.DeleteAsync("default", "pulled", new DeleteOptions(), CancellationToken.None);

        Assert.True(removed);
        Assert.Equal("Container image pulled", deleted["note"]?.GetValue<string>());
        var error = await Assert.ThrowsAsync<StatusException>(() => Core.GetAsync("default", "pulled", CancellationToken.None));
        Assert.Equal(404, error.Code);
    }

    [Fact]
    public async Task FrameConvertedBy_CoreEventChange_IsTheEventsApiFormOnce()
    {
        var created = await Core.CreateAsync("default", CoreEvent("pulled", "web"), dryRun: false, CancellationToken.None);
        var stored = await _harness.Storage.GetAsync("/registry/events/default/pulled");
        var change = new CachedEvent("ADDED", stored!.Key, stored.ModRevision, stored.Value);
        var converter = EventsApi.Definition.StoredAs!.Converter;

        var frame = change.FrameConvertedBy(converter);
        var line = JsonNode.Parse(frame)!;

        Assert.Same(frame, change.FrameConvertedBy(converter));
        Assert.Equal("ADDED", line["type"]?.GetValue<string>());
        Assert.Equal("Container image pulled", JsonPath.Get(line, "object/note")?.GetValue<string>());
        Assert.Equal(created.ResourceVersion(), JsonPath.Get(line, "object/metadata/resourceVersion")?.GetValue<string>());
    }

    [Fact]
    public void ResourceList_EventsApi_HasTheCoreEventStorageVersionHash()
    {
        string Hash(GenericStore store) => DiscoveryDocuments.ResourceList(store.Definition.GroupVersion, [store.Definition])["resources"]![0]!["storageVersionHash"]!.GetValue<string>();

        // Both are stored as core v1 Events: SHA-256 of "/v1/Event", 8 bytes, base64 (storageversionhash.go).
        Assert.Equal("r2yiGXH7wu8=", Hash(Core));
        Assert.Equal(Hash(Core), Hash(EventsApi));
    }

    private static JsonObject EventsApiEvent(string name) => JsonNode.Parse($$"""
        {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"{{name}}"},
         "eventTime":"2026-01-02T03:04:05.000000Z","reportingController":"default-scheduler","reportingInstance":"default-scheduler-n1",
         "action":"Binding","reason":"Scheduled","regarding":{"kind":"Pod","namespace":"default","name":"web"},
         "note":"Successfully assigned default/web to n1","type":"Normal"}
        """)!.AsObject();

    private static JsonObject CoreEvent(string name, string pod) => JsonNode.Parse($$"""
        {"apiVersion":"v1","kind":"Event","metadata":{"name":"{{name}}"},
         "involvedObject":{"kind":"Pod","namespace":"default","name":"{{pod}}"},"reason":"Pulled","message":"Container image pulled",
         "source":{"component":"kubelet","host":"n1"},"firstTimestamp":"2026-01-02T03:04:05Z","lastTimestamp":"2026-01-02T03:05:05Z","count":2,
         "type":"Normal","reportingComponent":"kubelet","reportingInstance":"n1"}
        """)!.AsObject();
}

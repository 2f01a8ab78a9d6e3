using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry.Core;

namespace Timonel.ApiServer.Tests.Registry.Core;

public sealed class EventVersionConverterTests
{
    // A core/v1 event with every field set, as upstream serializes it (Go struct order).
    private const string CoreEvent = """
        {"kind":"Event","apiVersion":"v1","metadata":{"name":"web.17a","namespace":"default","resourceVersion":"7"},
         "involvedObject":{"kind":"Pod","namespace":"default","name":"web","uid":"u-1","apiVersion":"v1","fieldPath":"spec.containers{web}"},
         "reason":"Pulled","message":"Image pulled","source":{"component":"kubelet","host":"n1"},
         "firstTimestamp":"2026-01-02T03:04:05Z","lastTimestamp":"2026-01-02T03:14:05Z","count":3,"type":"Normal",
         "eventTime":"2026-01-02T03:04:05.123456Z","series":{"count":2,"lastObservedTime":"2026-01-02T03:14:05.000000Z"},
         "action":"Pulling","related":{"kind":"Node","name":"n1"},"reportingComponent":"kubelet","reportingInstance":"n1"}
        """;

    // The same event as events.k8s.io/v1 serves it (upstream's Convert_core_Event_To_v1_Event).
    private const string EventsEvent = """
        {"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"web.17a","namespace":"default","resourceVersion":"7"},
         "eventTime":"2026-01-02T03:04:05.123456Z","series":{"count":2,"lastObservedTime":"2026-01-02T03:14:05.000000Z"},
         "reportingController":"kubelet","reportingInstance":"n1","action":"Pulling","reason":"Pulled",
         "regarding":{"kind":"Pod","namespace":"default","name":"web","uid":"u-1","apiVersion":"v1","fieldPath":"spec.containers{web}"},
         "related":{"kind":"Node","name":"n1"},"note":"Image pulled","type":"Normal",
         "deprecatedSource":{"component":"kubelet","host":"n1"},
         "deprecatedFirstTimestamp":"2026-01-02T03:04:05Z","deprecatedLastTimestamp":"2026-01-02T03:14:05Z","deprecatedCount":3}
        """;

    [Fact]
    public void FromStorage_FullCoreEvent_RenamesEveryField()
    {
        var served = EventVersionConverter.Instance.FromStorage(Parse(CoreEvent));

        Assert.Equal(Parse(EventsEvent).ToJsonString(), served.ToJsonString());
    }

    [Fact]
    public void ToStorage_FullEventsApiEvent_RenamesEveryField()
    {
        var stored = EventVersionConverter.Instance.ToStorage(Parse(EventsEvent));

        Assert.Equal(Parse(CoreEvent).ToJsonString(), stored.ToJsonString());
    }

    [Fact]
    public void ToStorage_SparseEventsApiEvent_WritesWhatGoAlwaysWrites()
    {
        var stored = EventVersionConverter.Instance.ToStorage(Parse("""{"metadata":{"name":"e"},"reason":"Started","deprecatedCount":0,"note":""}"""));

        Assert.Equal(
            """{"kind":"Event","apiVersion":"v1","metadata":{"name":"e"},"involvedObject":{},"reason":"Started","source":{},"firstTimestamp":null,"lastTimestamp":null,"eventTime":null,"reportingComponent":"","reportingInstance":""}""",
            stored.ToJsonString());
    }

    [Fact]
    public void FromStorage_SparseCoreEvent_WritesWhatGoAlwaysWrites()
    {
        var served = EventVersionConverter.Instance.FromStorage(Parse("""{"metadata":{"name":"e"},"message":"hi","reportingComponent":"","reportingInstance":""}"""));

        Assert.Equal(
            """{"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"e"},"eventTime":null,"regarding":{},"note":"hi","deprecatedSource":{},"deprecatedFirstTimestamp":null,"deprecatedLastTimestamp":null}""",
            served.ToJsonString());
    }

    [Fact]
    public void ToStorage_LeavesItsArgumentAlone()
    {
        var served = Parse(EventsEvent);

        EventVersionConverter.Instance.ToStorage(served)["metadata"]!["name"] = "changed";

        Assert.Equal(Parse(EventsEvent).ToJsonString(), served.ToJsonString());
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}

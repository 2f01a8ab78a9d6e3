using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Apiregistration;

/// <summary>
/// APIServices (kube-aggregator's pkg/registry/apiservice/strategy.go; SetDefaults_ServiceReference: port 443). This
/// server aggregates nothing, so every APIService without a service is what upstream's availability controller
/// marks local: its status is set here to Available=True, reason Local, on every write of the main resource.
/// </summary>
public sealed class APIServiceStrategy : ResourceStrategyBase
{
    private readonly TimeProvider _time;

    public APIServiceStrategy(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    // kube-aggregator's pkg/registry/apiservice/etcd printer (printAPIService).
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Service", "string", (service, _) => Service(service), 0, "", "The reference to the service that hosts this API endpoint."),
        new("Available", "string", (service, _) => Available(service), 0, "", "Whether this service is available."),
        CommonColumns.Age,
    ];

    public override void PrepareForCreate(JsonObject created)
    {
        base.PrepareForCreate(created);
        SetLocalStatus(created, null);
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        SetLocalStatus(updated, old);
    }

    public override void ApplyDefaults(JsonObject obj)
    {
        if (obj.ObjectAt("spec", "service") is { } service)
        {
            service.SetDefault("port", 443);
        }
    }

    /// <summary>Upstream checks the name as one path segment; that it is version.group is part of <see cref="Validate"/>.</summary>
    public override ValidateNameFunc NameValidation => (name, _) => Api.Validation.NameValidation.IsValidPathSegmentName(name);

    public override FieldErrorList Validate(JsonObject obj) => APIServiceValidation.Validate(obj);

    /// <summary>The SERVICE cell: "Local" or namespace/name.</summary>
    public static string Service(JsonObject apiService) =>
        apiService.ObjectAt("spec", "service") is { } service ? $"{service.StringAt("namespace")}/{service.StringAt("name")}" : "Local";

    /// <summary>The AVAILABLE cell: the Available condition's status, with its reason when not True; Unknown without one.</summary>
    public static string Available(JsonObject apiService)
    {
        var condition = apiService.ArrayAt("status", "conditions").Objects().FirstOrDefault(c => c.StringAt("type") == "Available");
        if (condition is null)
        {
            return "Unknown";
        }

        var status = condition.StringAt("status") ?? "";
        return status != "True" && condition.StringAt("reason") is { Length: > 0 } reason ? $"{status} ({reason})" : status;
    }

    /// <summary>
    /// Upstream's availability controller (kube-aggregator pkg/controllers/status/available_controller.go) for a
    /// service-less APIService: Available=True, reason Local, with its message; the transition time is kept while
    /// the condition stays true.
    /// </summary>
    private void SetLocalStatus(JsonObject apiService, JsonObject? old)
    {
        if (apiService.ObjectAt("spec", "service") is not null)
        {
            return;
        }

        var previous = old?.ArrayAt("status", "conditions").Objects().FirstOrDefault(c => c.StringAt("type") == "Available" && c.StringAt("status") == "True");
        var since = previous?.StringAt("lastTransitionTime") ?? ObjectMetadata.FormatTimestamp(_time.GetUtcNow());
        apiService["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Available",
                ["status"] = "True",
                ["lastTransitionTime"] = since,
                ["reason"] = "Local",
                ["message"] = "Local APIServices are always available",
            }),
        };
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;
using Timonel.ApiServer.Registry.Core;

namespace Timonel.ApiServer.Registry.Discovery;

/// <summary>
/// EndpointSlices (pkg/registry/discovery/endpointslice/strategy.go; pkg/apis/discovery/v1/defaults.go: ports get
/// protocol TCP and an empty name); validated by <see cref="EndpointSliceValidation"/>.
/// </summary>
public sealed class EndpointSliceStrategy : ResourceStrategyBase
{
    protected override bool HasSpecAndStatus => false;

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("AddressType", "string", (slice, _) => slice.StringAt("addressType") ?? "", 0, "", "addressType specifies the type of address carried by this EndpointSlice."),
        new("Ports", "string", (slice, _) => TableCells.ListWithMore(slice.ArrayAt("ports").Objects().Select(Port).ToList()), 0, "", "ports specifies the list of network ports exposed by each endpoint in this slice."),
        new("Endpoints", "string", (slice, _) => TableCells.ListWithMore(slice.ArrayAt("endpoints").Objects().SelectMany(e => TableCells.Strings(e.ArrayAt("addresses"))).ToList()), 0, "", "endpoints is a list of unique endpoints in this slice."),
        CommonColumns.Age,
    ];

    public override void ApplyDefaults(JsonObject obj)
    {
        foreach (var port in obj.ArrayAt("ports").Objects())
        {
            port.SetDefault("name", "");
            port.SetDefault("protocol", "TCP");
        }
    }

    public override FieldErrorList Validate(JsonObject obj) => EndpointSliceValidation.Validate(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => EndpointSliceValidation.ValidateUpdate(updated, old);

    // formatDiscoveryPorts: the number, else the name, else "*".
    private static string Port(JsonObject port) =>
        port.LongAt("port") is { } number ? number.ToString(CultureInfo.InvariantCulture) : port.StringAt("name") ?? "*";
}

using Timonel.ApiServer.OpenApi;
using Timonel.ApiServer.Registry;

namespace Timonel.OpenApi.Tests;

/// <summary>The built-in catalog and one OpenApiService (the stored documents), shared by the tests.</summary>
internal static class Served
{
    public static IReadOnlyList<ResourceDefinition> Resources { get; } = ResourceCatalog.BuiltIn(new BuiltInStrategies());

    public static OpenApiService Service { get; } = new();
}

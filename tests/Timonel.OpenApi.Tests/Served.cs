using Timonel.ApiServer.OpenApi;
using Timonel.ApiServer.Registry;

namespace Timonel.OpenApi.Tests;

/// <summary>One OpenApiService over the built-in catalog, shared by the tests (documents are built once).</summary>
internal static class Served
{
    public static IReadOnlyList<ResourceDefinition> Resources { get; } = ResourceCatalog.BuiltIn(new BuiltInStrategies());

    public static OpenApiService Service { get; } = new(Resources);
}

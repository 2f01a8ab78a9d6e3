using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Tests.Endpoints;

public sealed class RequestInfoTests
{
    public static TheoryData<string, RequestInfo?> Paths => new()
    {
        { "/api/v1/namespaces/ns/configmaps/..", new RequestInfo("", "v1", "ns", "configmaps", "..", null, false) },
        { "/api/v1/namespaces/ns/configmaps/.", new RequestInfo("", "v1", "ns", "configmaps", ".", null, false) },
        { "/api/v1/namespaces/ns/configmaps/../secrets", new RequestInfo("", "v1", "ns", "configmaps", "..", "secrets", false) },
        { "/api/v1/namespaces/ns/configmaps/%2e%2e%2fsecrets", new RequestInfo("", "v1", "ns", "configmaps", "..", "secrets", false) },
        { "/api/v1/namespaces/..", new RequestInfo("", "v1", null, "namespaces", "..", null, false) },
        { "/api/v1/namespaces/../status", new RequestInfo("", "v1", null, "namespaces", "..", "status", false) },
        { "/api/v1/watch/namespaces/ns/pods/..", new RequestInfo("", "v1", "ns", "pods", "..", null, true) },
        { "/apis/apps/v1/namespaces/ns/deployments/../scale", new RequestInfo("apps", "v1", "ns", "deployments", "..", "scale", false) },
        { "/apis/rbac.authorization.k8s.io/v1/clusterroles/.", new RequestInfo("rbac.authorization.k8s.io", "v1", null, "clusterroles", ".", null, false) },
        { "/apis/../api/v1/secrets", new RequestInfo("..", "api", null, "v1", "secrets", null, false) },
        { "/api/v1/namespaces/ns/configmaps/", new RequestInfo("", "v1", "ns", "configmaps", null, null, false) },
        { "/api/v1/namespaces//configmaps", null },
        { "/api/v1/namespaces/ns/configmaps/%2F", null },
        { "/api/v1/namespaces/ns/configmaps//", null },
        { "//api/v1/namespaces/ns/configmaps", null },
        { "/api//v1/secrets", null },
        { "/api/v1", null },
        { "/apis/apps/v1/namespaces/ns/deployments/a/b/c", null },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Parse_RawPath_AddressesTheUnresolvedSegments(string target, RequestInfo? expected)
    {
        var info = RequestInfo.Parse(RequestPath.Parse(target)!);

        Assert.Equal(expected, info);
    }
}

using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Tests.Endpoints;

public sealed class RequestPathTests
{
    public static TheoryData<string, string, string[]> Targets => new()
    {
        { "/api/v1/namespaces/ns/configmaps/..", "/api/v1/namespaces/ns/configmaps/..", ["api", "v1", "namespaces", "ns", "configmaps", ".."] },
        { "/api/v1/namespaces/ns/configmaps/%2e%2E", "/api/v1/namespaces/ns/configmaps/..", ["api", "v1", "namespaces", "ns", "configmaps", ".."] },
        { "/api/v1/namespaces/ns/configmaps/.%2e/secrets", "/api/v1/namespaces/ns/configmaps/../secrets", ["api", "v1", "namespaces", "ns", "configmaps", "..", "secrets"] },
        { "/apis/../api/v1/secrets?watch=true", "/apis/../api/v1/secrets", ["apis", "..", "api", "v1", "secrets"] },
        { "/api/v1/namespaces/ns/configmaps/a%2Fb", "/api/v1/namespaces/ns/configmaps/a/b", ["api", "v1", "namespaces", "ns", "configmaps", "a", "b"] },
        { "/api/v1/namespaces//configmaps/", "/api/v1/namespaces//configmaps/", ["api", "v1", "namespaces", "", "configmaps"] },
        { "/api/v1/namespaces/ns/configmaps/a%25b", "/api/v1/namespaces/ns/configmaps/a%b", ["api", "v1", "namespaces", "ns", "configmaps", "a%b"] },
        { "/api/v1/namespaces/ns/configmaps/caf%C3%A9", "/api/v1/namespaces/ns/configmaps/café", ["api", "v1", "namespaces", "ns", "configmaps", "café"] },
        { "https://10.0.0.1:6443/version?x=1", "/version", ["version"] },
        { "/", "/", [] },
        { "//api/v1/namespaces/ns/configmaps/a", "//api/v1/namespaces/ns/configmaps/a", ["", "api", "v1", "namespaces", "ns", "configmaps", "a"] },
        { "/api/v1/namespaces/ns/configmaps/%2F", "/api/v1/namespaces/ns/configmaps//", ["api", "v1", "namespaces", "ns", "configmaps", ""] },
        { "/api/v1/namespaces/ns/configmaps/a//", "/api/v1/namespaces/ns/configmaps/a//", ["api", "v1", "namespaces", "ns", "configmaps", "a", ""] },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public void Parse_Target_DecodesWithoutResolvingDotSegments(string target, string path, string[] segments)
    {
        var parsed = RequestPath.Parse(target);

        Assert.NotNull(parsed);
        Assert.Equal(path, parsed.Value);
        Assert.Equal(segments, parsed.Segments);
    }

    [Theory]
    [InlineData("/api/v1/namespaces/ns/configmaps/%zz")]
    [InlineData("/api/v1/namespaces/ns/configmaps/a%2")]
    [InlineData("/api/v1/namespaces/ns/configmaps/%")]
    [InlineData("*")]
    public void Parse_MalformedTarget_Null(string target) => Assert.Null(RequestPath.Parse(target));
}

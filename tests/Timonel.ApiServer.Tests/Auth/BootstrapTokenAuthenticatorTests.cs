using System.Text;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Auth;

namespace Timonel.ApiServer.Tests.Auth;

public sealed class BootstrapTokenAuthenticatorTests : IAsyncLifetime
{
    private readonly FixedClock _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private StoreHarness _harness = null!;
    private BootstrapTokenAuthenticator _authenticator = null!;

    public async Task InitializeAsync()
    {
        _harness = await StoreHarness.StartAsync();
        await _harness.Store("", "namespaces").CreateAsync(null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "kube-system" } }, dryRun: false, CancellationToken.None);
        _authenticator = new BootstrapTokenAuthenticator(_harness.Registry, _time);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task AuthenticateToken_ValidToken_BootstrapUserWithExtraGroups()
    {
        await StoreTokenAsync("abcdef", "0123456789abcdef", ("expiration", "2026-03-02T00:00:00Z"), ("auth-extra-groups", "system:bootstrappers:timonel:default-node-token"));

        var user = await _authenticator.AuthenticateTokenAsync("abcdef.0123456789abcdef", CancellationToken.None);

        Assert.Equal("system:bootstrap:abcdef", user?.Name);
        Assert.Equal(["system:bootstrappers", "system:bootstrappers:timonel:default-node-token", "system:authenticated"], user!.Groups);
    }

    [Theory]
    [InlineData("abcdef.0123456789abcdeX")]
    [InlineData("abcdef.ffffffffffffffff")]
    [InlineData("zzzzzz.0123456789abcdef")]
    [InlineData("not-a-token")]
    public async Task AuthenticateToken_WrongOrUnknown_NotAuthenticated(string token)
    {
        await StoreTokenAsync("abcdef", "0123456789abcdef");

        Assert.Null(await _authenticator.AuthenticateTokenAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task AuthenticateToken_Expired_NotAuthenticated()
    {
        await StoreTokenAsync("abcdef", "0123456789abcdef", ("expiration", "2026-03-01T11:00:00Z"));

        Assert.Null(await _authenticator.AuthenticateTokenAsync("abcdef.0123456789abcdef", CancellationToken.None));
    }

    [Fact]
    public async Task AuthenticateToken_NotForAuthentication_NotAuthenticated()
    {
        await StoreTokenAsync("abcdef", "0123456789abcdef", ("usage-bootstrap-authentication", "false"));

        Assert.Null(await _authenticator.AuthenticateTokenAsync("abcdef.0123456789abcdef", CancellationToken.None));
    }

    [Fact]
    public async Task AuthenticateToken_ExtraGroupOutsideBootstrappers_NotAuthenticated()
    {
        await StoreTokenAsync("abcdef", "0123456789abcdef", ("auth-extra-groups", "system:masters"));

        Assert.Null(await _authenticator.AuthenticateTokenAsync("abcdef.0123456789abcdef", CancellationToken.None));
    }

    private async Task StoreTokenAsync(string id, string secret, params (string Key, string Value)[] extra)
    {
        var data = new Dictionary<string, string>
        {
            ["token-id"] = id,
            ["token-secret"] = secret,
            ["usage-bootstrap-authentication"] = "true",
        };
        foreach (var (key, value) in extra)
        {
            data[key] = value;
        }

        var encoded = new JsonObject(data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)Convert.ToBase64String(Encoding.UTF8.GetBytes(d.Value)))));
        var stored = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "bootstrap-token-" + id }, ["type"] = "bootstrap.kubernetes.io/token", ["data"] = encoded };
        await _harness.Store("", "secrets").CreateAsync("kube-system", stored, dryRun: false, CancellationToken.None);
    }
}

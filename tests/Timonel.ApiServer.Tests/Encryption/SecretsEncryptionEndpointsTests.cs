using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Encryption;
using Timonel.Storage.Memory;

namespace Timonel.ApiServer.Tests.Encryption;

public sealed class SecretsEncryptionEndpointsTests : IAsyncDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("timonel-enc-endpoints-").FullName;
    private readonly MemoryStorageBackend _raw = new();
    private readonly SecretsEncryption _encryption;

    public SecretsEncryptionEndpointsTests()
    {
        _encryption = SecretsEncryption.Open(_dataDir, enabled: true, configFile: null, TimeProvider.System);
        _encryption.Wrap(_raw);
    }

    [Fact]
    public async Task HandleAsync_MasterAsksStatus_StageAndActiveKey()
    {
        var (status, body) = await SendAsync(Master, "GET", "/v1-timonel/encrypt/status");

        Assert.Equal(200, status);
        Assert.Equal(("start", true, "aescbckey"), (body["stage"]!.ToString(), body["keys"]![0]!["active"]!.GetValue<bool>(), body["keys"]![0]!["name"]!.ToString()));
    }

    [Fact]
    public async Task HandleAsync_MasterPutsPrepare_NewKeyListed()
    {
        var (status, body) = await SendAsync(Master, "PUT", "/v1-timonel/encrypt/config", """{"stage":"prepare"}""");

        Assert.Equal(200, status);
        Assert.Equal(("prepare", 2), (body["stage"]!.ToString(), body["keys"]!.AsArray().Count));
    }

    [Fact]
    public async Task HandleAsync_NotMaster_ForbiddenAndNothingChanged()
    {
        var (status, body) = await SendAsync(UserInfo.Authenticated("alice", ["developers"]), "PUT", "/v1-timonel/encrypt/config", """{"stage":"prepare"}""");

        Assert.Equal((403, "Forbidden"), (status, body["reason"]!.ToString()));
        Assert.Equal(EncryptionStage.Start, _encryption.Status().Stage);
    }

    [Fact]
    public async Task HandleAsync_NoClientCertificate_Unauthorized()
    {
        var (status, _) = await SendAsync(null, "GET", "/v1-timonel/encrypt/status");

        Assert.Equal(401, status);
    }

    [Fact]
    public async Task HandleAsync_WrongStage_BadRequestSayingWhy()
    {
        var (status, body) = await SendAsync(Master, "PUT", "/v1-timonel/encrypt/config", """{"stage":"reencrypt"}""");

        Assert.Equal(400, status);
        Assert.StartsWith("error, incorrect stage: reencrypt needs stage rotate", body["message"]!.ToString(), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        _encryption.Dispose();
        await _raw.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    private static UserInfo Master => UserInfo.Authenticated("admin", [UserInfo.MastersGroup]);

    private async Task<(int Status, JsonNode Body)> SendAsync(UserInfo? user, string method, string path, string? body = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body ?? ""));
        var response = new MemoryStream();
        context.Response.Body = response;

        Assert.True(SecretsEncryptionEndpoints.Handles(context));
        await new SecretsEncryptionEndpoints(_encryption, new FixedAuthenticator(user)).HandleAsync(context);

        return (context.Response.StatusCode, JsonNode.Parse(response.ToArray())!);
    }

    private sealed class FixedAuthenticator(UserInfo? user) : IAuthenticator
    {
        public Task<UserInfo?> AuthenticateAsync(HttpContext context) => Task.FromResult(user);
    }
}

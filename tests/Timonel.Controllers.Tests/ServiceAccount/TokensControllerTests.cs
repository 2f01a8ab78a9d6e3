using System.Net;
using System.Text;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.ServiceAccount;
using Timonel.Testing.Api;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.ServiceAccount;

public sealed class TokensControllerTests : IDisposable
{
    private const string Ca = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n";
    private const string SecretPath = "/api/v1/namespaces/ns-1/secrets/build-robot-token";
    private const string AccountPath = "/api/v1/namespaces/ns-1/serviceaccounts/build-robot";
    private readonly FakeApiServer _api = new();
    private readonly TestInformer<V1Secret> _secrets = new();
    private readonly TestInformer<V1ServiceAccount> _accounts = new();
    private readonly List<string> _issued = [];
    private readonly TokensController _controller;

    public TokensControllerTests() =>
        _controller = new(_api.Client, _secrets.Informer, _accounts.Informer, Issue, Ca, new FakeTimeProvider(), NullLogger<TokensController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_EmptySecretOfExistingAccount_FillsTokenCaNamespaceAndUid()
    {
        _accounts.Add(Account("sa-uid"));
        var secret = Secret(uid: null);
        _secrets.Add(secret);
        _api.Answer(HttpMethod.Get, SecretPath, HttpStatusCode.OK, secret);

        var result = await _controller.SyncAsync("ns-1/build-robot-token", CancellationToken.None);

        Assert.Equal(SyncResult.Done, result);
        Assert.Equal([$"GET {SecretPath}", $"PUT {SecretPath}"], _api.Calls);
        var written = _api.Requests[1].BodyAs<V1Secret>();
        Assert.Equal("token:ns-1/build-robot/sa-uid/build-robot-token", Encoding.UTF8.GetString(written.Data["token"]));
        Assert.Equal(Ca, Encoding.UTF8.GetString(written.Data["ca.crt"]));
        Assert.Equal("ns-1", Encoding.UTF8.GetString(written.Data["namespace"]));
        Assert.Equal("sa-uid", written.Metadata.Annotations["kubernetes.io/service-account.uid"]);
        Assert.Equal("build-robot", written.Metadata.Annotations["kubernetes.io/service-account.name"]);
    }

    [Fact]
    public async Task SyncAsync_FilledSecret_CallsNothing()
    {
        _accounts.Add(Account("sa-uid"));
        var secret = Secret("sa-uid");
        secret.Data = new Dictionary<string, byte[]>
        {
            ["token"] = Encoding.UTF8.GetBytes("existing"),
            ["ca.crt"] = Encoding.UTF8.GetBytes(Ca),
            ["namespace"] = Encoding.UTF8.GetBytes("ns-1"),
        };
        _secrets.Add(secret);

        Assert.Equal(SyncResult.Done, await _controller.SyncAsync("ns-1/build-robot-token", CancellationToken.None));
        Assert.Empty(_api.Calls);
        Assert.Empty(_issued);
    }

    [Fact]
    public async Task SyncAsync_OutdatedCaButToken_KeepsTheTokenAndReplacesTheCa()
    {
        _accounts.Add(Account("sa-uid"));
        var secret = Secret("sa-uid");
        secret.Data = new Dictionary<string, byte[]>
        {
            ["token"] = Encoding.UTF8.GetBytes("existing"),
            ["ca.crt"] = Encoding.UTF8.GetBytes("old"),
            ["namespace"] = Encoding.UTF8.GetBytes("ns-1"),
        };
        _secrets.Add(secret);
        _api.Answer(HttpMethod.Get, SecretPath, HttpStatusCode.OK, secret);

        await _controller.SyncAsync("ns-1/build-robot-token", CancellationToken.None);

        var written = _api.Requests[^1].BodyAs<V1Secret>();
        Assert.Equal("existing", Encoding.UTF8.GetString(written.Data["token"]));
        Assert.Equal(Ca, Encoding.UTF8.GetString(written.Data["ca.crt"]));
    }

    [Fact]
    public async Task SyncAsync_AccountMissingEverywhere_DeletesTheSecretWithItsUidAsPrecondition()
    {
        _secrets.Add(Secret(uid: null));

        await _controller.SyncAsync("ns-1/build-robot-token", CancellationToken.None);

        Assert.Equal([$"GET {AccountPath}", $"DELETE {SecretPath}"], _api.Calls);
        Assert.Equal("secret-uid", _api.Requests[1].BodyAs<V1DeleteOptions>().Preconditions.Uid);
    }

    [Fact]
    public async Task SyncAsync_AccountRecreatedUnderAnotherUid_DeletesTheSecret()
    {
        _accounts.Add(Account("new-uid"));
        _api.Answer(HttpMethod.Get, AccountPath, HttpStatusCode.OK, Account("new-uid"));
        _secrets.Add(Secret("old-uid"));

        await _controller.SyncAsync("ns-1/build-robot-token", CancellationToken.None);

        Assert.Equal($"DELETE {SecretPath}", _api.Calls[^1]);
    }

    [Fact]
    public async Task SyncAsync_AccountNotYetCached_ReadsItLiveAndFills()
    {
        _api.Answer(HttpMethod.Get, AccountPath, HttpStatusCode.OK, Account("sa-uid"));
        var secret = Secret(uid: null);
        _secrets.Add(secret);
        _api.Answer(HttpMethod.Get, SecretPath, HttpStatusCode.OK, secret);

        await _controller.SyncAsync("ns-1/build-robot-token", CancellationToken.None);

        Assert.Equal($"PUT {SecretPath}", _api.Calls[^1]);
        Assert.Equal(["token:ns-1/build-robot/sa-uid/build-robot-token"], _issued);
    }

    [Fact]
    public async Task SyncAsync_CacheBehindTheServer_RequeuesWithoutWriting()
    {
        _accounts.Add(Account("sa-uid"));
        _secrets.Add(Secret(uid: null));
        var newer = Secret(uid: null);
        newer.Metadata.ResourceVersion = "2";
        _api.Answer(HttpMethod.Get, SecretPath, HttpStatusCode.OK, newer);

        var result = await _controller.SyncAsync("ns-1/build-robot-token", CancellationToken.None);

        Assert.NotNull(result.RequeueAfter);
        Assert.Equal([$"GET {SecretPath}"], _api.Calls);
    }

    [Fact]
    public async Task Handlers_OpaqueSecretAdded_QueuesNothing()
    {
        var opaque = Secret(uid: null);
        opaque.Type = "Opaque";
        _secrets.Add(opaque);

        Assert.Equal(SyncResult.Done, await _controller.SyncAsync("ns-1/build-robot-token", CancellationToken.None));
        Assert.Equal(0, _controller.Queue.Len);
        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task Handlers_AccountDeleted_QueuesTheSecretsNamingIt()
    {
        var account = Account("sa-uid");
        _accounts.Add(account);
        _secrets.Add(Secret("sa-uid"));
        var other = Secret("other-uid");
        other.Metadata.Name = "stale";
        _secrets.Add(other);
        Assert.Equal(["ns-1/build-robot-token", "ns-1/stale"], [await _controller.TakeAsync(), await _controller.TakeAsync()]);

        _accounts.Delete(account);

        Assert.Equal("ns-1/build-robot-token", await _controller.TakeAsync());
        Assert.Equal(0, _controller.Queue.Len);
    }

    private static V1ServiceAccount Account(string uid) =>
        new() { Metadata = new V1ObjectMeta { Name = "build-robot", NamespaceProperty = "ns-1", Uid = uid } };

    private static V1Secret Secret(string? uid)
    {
        var annotations = new Dictionary<string, string> { ["kubernetes.io/service-account.name"] = "build-robot" };
        if (uid is not null)
        {
            annotations["kubernetes.io/service-account.uid"] = uid;
        }

        return new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "build-robot-token", NamespaceProperty = "ns-1", Uid = "secret-uid", ResourceVersion = "1", Annotations = annotations },
            Type = "kubernetes.io/service-account-token",
        };
    }

    private string Issue(string ns, string serviceAccount, string uid, string secretName)
    {
        var token = $"token:{ns}/{serviceAccount}/{uid}/{secretName}";
        _issued.Add(token);
        return token;
    }
}

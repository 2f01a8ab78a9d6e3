using k8s;

namespace Timonel.Testing.Api;

/// <summary>One request a <see cref="FakeApiServer"/> received.</summary>
/// <param name="PathAndQuery">E.g. /api/v1/namespaces/ns-1/serviceaccounts, with its query when it had one.</param>
public sealed record RecordedRequest(string Method, string PathAndQuery, string? Body)
{
    /// <summary>The body as an object of the client's models.</summary>
    public T BodyAs<T>() => KubernetesJson.Deserialize<T>(Body ?? throw new InvalidOperationException($"{this} had no body"));

    /// <summary>"METHOD path", as tests compare the calls made.</summary>
    public override string ToString() => $"{Method} {PathAndQuery}";
}

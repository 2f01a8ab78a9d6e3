using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Models;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Hosting;

namespace Timonel.Commands;

/// <summary>
/// <c>timonel token create [--ttl] [--description]</c> (K3s' and kubeadm's verb): stores a bootstrap token in
/// kube-system (Secret bootstrap-token-&lt;id&gt;, type bootstrap.kubernetes.io/token) through the server's admin
/// kubeconfig, and prints it as a join token <c>K10&lt;ca-hash&gt;::&lt;id&gt;.&lt;secret&gt;</c>: an agent given it
/// trusts the server's CA by the hash and authenticates as system:bootstrap:&lt;id&gt; to ask for its node certificate.
/// </summary>
internal static class TokenCommand
{
    // kubeadm's default token TTL and extra group (cmd/kubeadm/app/constants: DefaultTokenDuration,
    // NodeBootstrapTokenAuthGroup), the group named after this server rather than kubeadm.
    private static readonly TimeSpan _defaultTtl = TimeSpan.FromHours(24);
    private const string ExtraGroup = "system:bootstrappers:timonel:default-node-token";
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir", "-d") { Description = "The server's data folder (its kubeconfig and CA)", DefaultValueFactory = _ => ApiServerOptions.DefaultDataDir() };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig of an administrator (default: DATA/kubeconfig.yaml)" };
        var ttl = new Option<string>("--ttl") { Description = "How long the token is valid (e.g. 24h, 30m); 0 never expires", DefaultValueFactory = _ => "24h" };
        var description = new Option<string?>("--description") { Description = "A human-friendly description of the token" };
        var create = new Command("create", "Create a bootstrap token for joining nodes") { dataDir, kubeconfig, ttl, description };
        create.SetAction(async (parse, cancellationToken) =>
        {
            if (ParseDuration(parse.GetValue(ttl)!) is not { } lifetime)
            {
                Console.Error.WriteLine($"invalid --ttl {parse.GetValue(ttl)}: give a duration such as 24h, 90m or 0");
                return 1;
            }

            var directory = parse.GetValue(dataDir)!;
            var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(parse.GetValue(kubeconfig) ?? Path.Combine(directory, "kubeconfig.yaml"));
            using var client = new Kubernetes(config);
            var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(directory, "tls", "server-ca.crt"), cancellationToken));
            var (id, secret) = (Random(6), Random(16));
            var data = new Dictionary<string, byte[]>
            {
                ["token-id"] = System.Text.Encoding.UTF8.GetBytes(id),
                ["token-secret"] = System.Text.Encoding.UTF8.GetBytes(secret),
                ["usage-bootstrap-authentication"] = "true"u8.ToArray(),
                ["usage-bootstrap-signing"] = "true"u8.ToArray(),
                ["auth-extra-groups"] = System.Text.Encoding.UTF8.GetBytes(ExtraGroup),
            };
            if (lifetime > TimeSpan.Zero)
            {
                data["expiration"] = System.Text.Encoding.UTF8.GetBytes(DateTimeOffset.UtcNow.Add(lifetime).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
            }

            if (parse.GetValue(description) is { Length: > 0 } text)
            {
                data["description"] = System.Text.Encoding.UTF8.GetBytes(text);
            }

            await client.CoreV1.CreateNamespacedSecretAsync(
                new V1Secret { Metadata = new V1ObjectMeta { Name = BootstrapTokenAuthenticator.SecretPrefix + id }, Type = BootstrapTokenAuthenticator.SecretType, Data = data },
                "kube-system",
                cancellationToken: cancellationToken);
            Console.WriteLine($"K10{KubeconfigWriter.CaHash(ca)}::{id}.{secret}");
            return 0;
        });
        return new Command("token", "Manage bootstrap tokens") { create };
    }

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);

    private static TimeSpan? ParseDuration(string text)
    {
        if (text == "0")
        {
            return TimeSpan.Zero;
        }

        var unit = text.Length > 1 ? text[^1] : ' ';
        if (!double.TryParse(text[..^1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var amount) || amount < 0)
        {
            return null;
        }

        return unit switch
        {
            'h' => TimeSpan.FromHours(amount),
            'm' => TimeSpan.FromMinutes(amount),
            's' => TimeSpan.FromSeconds(amount),
            _ => null,
        };
    }
}

using System.CommandLine;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Timonel.Api.Certificates;
using Timonel.Api.Objects;
using Timonel.ApiServer.Encryption;
using Timonel.ApiServer.Hosting;

namespace Timonel.Commands;

/// <summary>
/// <c>timonel secrets-encrypt status|prepare|rotate|reencrypt</c>, as K3s' (docs.k3s.io/cli/secrets-encrypt): asks
/// the running server through its admin-only /v1-timonel/encrypt endpoints, with the admin kubeconfig of the data dir.
/// </summary>
internal static class SecretsEncryptCommand
{
    public static Command Create()
    {
        var command = new Command("secrets-encrypt", "Control secrets encryption and keys rotation");
        foreach (var (name, description) in new[]
        {
            ("status", "Print current status of secrets encryption"),
            ("prepare", "Prepare for encryption keys rotation"),
            ("rotate", "Rotate secrets encryption keys"),
            ("reencrypt", "Reencrypt all data with new encryption key"),
        })
        {
            var dataDir = new Option<string>("--data-dir", "-d") { Description = "Folder to hold state", DefaultValueFactory = _ => ApiServerOptions.DefaultDataDir() };
            var server = new Option<string?>("--server", "-s") { Description = "Server to connect to (default: the admin kubeconfig's)" };
            var force = new Option<bool>("--force", "-f") { Description = "Force this stage." };
            var sub = new Command(name, description) { dataDir, server };
            if (name != "status")
            {
                sub.Options.Add(force);
            }

            sub.SetAction(async (parse, cancellationToken) =>
                await RunAsync(name, Path.GetFullPath(parse.GetValue(dataDir)!), parse.GetValue(server), parse.GetValue(force), cancellationToken));
            command.Subcommands.Add(sub);
        }

        return command;
    }

    private static async Task<int> RunAsync(string stage, string dataDir, string? server, bool force, CancellationToken cancellationToken)
    {
        var kubeconfig = Path.Combine(dataDir, "kubeconfig.yaml");
        if (!File.Exists(kubeconfig))
        {
            Console.Error.WriteLine($"{kubeconfig} not found: is a server running with --data-dir {dataDir}?");
            return 1;
        }

        var (url, ca, certificate) = ReadKubeconfig(kubeconfig);
        using var handler = new HttpClientHandler
        {
            ClientCertificateOptions = ClientCertificateOption.Manual,
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented is not null && CertificateAuthorityChain.IsIssuedBy(presented, ca),
        };
        handler.ClientCertificates.Add(certificate);
        // Reencryption runs within the request and takes as long as the datastore's Secrets need.
        using var http = new HttpClient(handler) { BaseAddress = new Uri(server ?? url), Timeout = Timeout.InfiniteTimeSpan };
        HttpResponseMessage response;
        try
        {
            response = stage == "status"
                ? await http.GetAsync(SecretsEncryptionEndpoints.Prefix + "/status", cancellationToken)
                : await http.PutAsJsonAsync(SecretsEncryptionEndpoints.Prefix + "/config", new { stage, force }, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"the server at {http.BaseAddress} did not answer: {ex.Message}");
            return 1;
        }

        using (response)
        {
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            if (!response.IsSuccessStatusCode)
            {
                Console.Error.WriteLine(body?["message"]?.ToString() ?? response.ReasonPhrase);
                return 1;
            }

            Console.Write(stage == "status" ? FormatStatus(body!) : $"{stage} completed successfully\n{(body?["message"] is { } message ? message + "\n" : "")}");
            return 0;
        }
    }

    // K3s' status layout.
    private static string FormatStatus(JsonNode status)
    {
        var text = new StringBuilder();
        text.Append("Encryption Status: ").Append(status["enabled"]!.GetValue<bool>() ? "Enabled" : "Disabled").Append('\n');
        text.Append("Current Rotation Stage: ").Append(status["stage"]).Append("\n\n");
        text.Append("Active  Key Type  Name\n------  --------  ----\n");
        foreach (var key in status["keys"]!.AsArray())
        {
            text.Append(key!["active"]!.GetValue<bool>() ? " *      " : "        ").Append($"{key["type"],-10}").Append(key["name"]).Append('\n');
        }

        return text.ToString();
    }

    private static (string Url, X509Certificate2 Ca, X509Certificate2 Certificate) ReadKubeconfig(string path)
    {
        var config = YamlConverter.ToJson(File.ReadAllText(path))!;
        var cluster = config["clusters"]![0]!["cluster"]!;
        var user = config["users"]![0]!["user"]!;
        string Pem(JsonNode node, string field) => Encoding.ASCII.GetString(Convert.FromBase64String(node[field]!.ToString()));
        var ca = X509Certificate2.CreateFromPem(Pem(cluster, "certificate-authority-data"));
        using var pem = X509Certificate2.CreateFromPem(Pem(user, "client-certificate-data"), Pem(user, "client-key-data"));
        // TLS client authentication needs the key in a persisted form on some platforms; a PKCS#12 round trip gives it.
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        return (cluster["server"]!.ToString(), ca, certificate);
    }
}

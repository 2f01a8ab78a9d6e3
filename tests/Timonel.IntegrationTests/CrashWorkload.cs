using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>
/// Concurrent writers creating, updating (with a resourceVersion precondition) and deleting ConfigMaps in the default
/// namespace as fast as the server answers, each until its first request gets no answer (the server went away). Each
/// writer owns its ConfigMaps, so the ledger knows exactly what every acknowledged answer promised.
/// </summary>
internal sealed class CrashWorkload
{
    private const string Collection = "/api/v1/namespaces/default/configmaps";

    // Enough objects per writer that updates and deletes hit many keys, few enough that lists after restarts stay small.
    private const int MostLivePerWriter = 12;

    private readonly HttpClient _client;
    private readonly CrashLedger _ledger;
    private readonly CrashTally _tally;
    private readonly Task[] _writers;

    private CrashWorkload(HttpClient client, CrashLedger ledger, CrashTally tally, int seed, CancellationToken stop)
    {
        _client = client;
        _ledger = ledger;
        _tally = tally;
        _writers = [.. Enumerable.Range(0, ledger.Writers).Select(writer =>
        {
            var live = ledger.LiveObjects(writer);
            var random = new Random(unchecked((seed * ledger.Writers) + writer));
            return Task.Run(() => WriteAsync(writer, live, random, stop), CancellationToken.None);
        })];
    }

    public static CrashWorkload Start(HttpClient client, CrashLedger ledger, CrashTally tally, int seed, CancellationToken stop) =>
        new(client, ledger, tally, seed, stop);

    /// <summary>Waits for every writer to stop: after <c>stop</c> is cancelled or once the server is gone.</summary>
    public Task StoppedAsync() => Task.WhenAll(_writers);

    private async Task WriteAsync(int writer, List<TrackedObject> live, Random random, CancellationToken stop)
    {
        var answered = true;
        while (answered && !stop.IsCancellationRequested)
        {
            var roll = random.NextDouble();
            if (live.Count == 0 || (roll < 0.4 && live.Count < MostLivePerWriter))
            {
                var created = _ledger.NewObject(writer);
                answered = await CreateAsync(created);
                if (created.State == TrackedState.Present)
                {
                    live.Add(created);
                }

                continue;
            }

            var target = live[random.Next(live.Count)];
            if (roll < 0.8)
            {
                answered = await UpdateAsync(target);
                continue;
            }

            answered = await DeleteAsync(target);
            if (target.State == TrackedState.Deleted)
            {
                live.Remove(target);
            }
        }
    }

    private Task<bool> CreateAsync(TrackedObject tracked) =>
        WriteObjectAsync(tracked, CrashOperation.Create, HttpMethod.Post, Collection, HttpStatusCode.Created, 1, resourceVersion: null);

    private Task<bool> UpdateAsync(TrackedObject tracked) =>
        WriteObjectAsync(tracked, CrashOperation.Update, HttpMethod.Put, $"{Collection}/{tracked.Name}", HttpStatusCode.OK, tracked.Value + 1, tracked.ResourceVersion);

    private async Task<bool> WriteObjectAsync(TrackedObject tracked, CrashOperation operation, HttpMethod method, string path, HttpStatusCode success, int value, long? resourceVersion)
    {
        var metadata = new JsonObject { ["name"] = tracked.Name };
        if (resourceVersion is { } precondition)
        {
            metadata["resourceVersion"] = precondition.ToString(CultureInfo.InvariantCulture);
        }

        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = metadata,
            ["data"] = new JsonObject { ["v"] = value.ToString(CultureInfo.InvariantCulture) },
        };
        var answer = await SendAsync(tracked, operation, method, path, body, success);
        if (answer is null)
        {
            return false;
        }

        var written = long.Parse(answer["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        tracked.AcknowledgeWrite(value, written);
        _ledger.Acknowledged(tracked.Name, written, _tally);
        _tally.Acknowledged(operation);
        return true;
    }

    private async Task<bool> DeleteAsync(TrackedObject tracked)
    {
        var options = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "DeleteOptions",
            ["preconditions"] = new JsonObject { ["resourceVersion"] = tracked.ResourceVersion.ToString(CultureInfo.InvariantCulture) },
        };
        if (await SendAsync(tracked, CrashOperation.Delete, HttpMethod.Delete, $"{Collection}/{tracked.Name}", options, HttpStatusCode.OK) is null)
        {
            return false;
        }

        tracked.AcknowledgeDelete();
        _tally.Acknowledged(CrashOperation.Delete);
        return true;
    }

    /// <summary>
    /// The answer's body when it is the expected success; null when there was no complete answer (the outcome is
    /// unknown and stays in flight) or an unexpected one, which the tally records.
    /// </summary>
    private async Task<JsonNode?> SendAsync(TrackedObject tracked, CrashOperation operation, HttpMethod method, string path, JsonObject body, HttpStatusCode success)
    {
        tracked.Begin(operation);
        using var request = new HttpRequestMessage(method, path) { Content = ApiHttp.Json(body.ToJsonString()) };
        try
        {
            using var response = await _client.SendAsync(request, CancellationToken.None);
            var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
            if (response.StatusCode == success)
            {
                return JsonNode.Parse(text);
            }

            var detail = $"{method} {tracked.Name}: {(int)response.StatusCode} {text}";
            if ((int)response.StatusCode >= 500)
            {
                _tally.ServerError(detail);
            }
            else
            {
                _tally.Unexpected(detail);
            }

            return null;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
        {
            // The server died with the request: it may or may not have been applied.
            return null;
        }
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.Storage;
using Timonel.Storage.Encryption;

namespace Timonel.ApiServer.Encryption;

/// <summary>
/// Secrets encryption at rest, on by default as in K3s: the configuration in use (generated at
/// <c>&lt;data-dir&gt;/cred/encryption-config.json</c> on first start, or the user's
/// <c>--encryption-provider-config</c>), the storage decorator it drives, and K3s' key rotation
/// (<c>secrets-encrypt prepare|rotate|reencrypt</c>) applied live and persisted to the generated file.
/// </summary>
public sealed class SecretsEncryption : IDisposable
{
    /// <summary>K3s' name for the first generated key; later ones get the time they were made.</summary>
    public const string FirstKeyName = "aescbckey";

    private readonly SemaphoreSlim _changing = new(1, 1);
    private readonly string? _managedPath;
    private readonly string _statePath;
    private readonly TimeProvider _time;
    private EncryptionConfiguration _configuration;
    private EncryptingStorageBackend? _backend;

    private SecretsEncryption(EncryptionConfiguration configuration, bool enabled, string? managedPath, string statePath, TimeProvider time)
    {
        _configuration = configuration;
        Enabled = enabled;
        _managedPath = managedPath;
        _statePath = statePath;
        _time = time;
    }

    public bool Enabled { get; }

    public EncryptionConfiguration Configuration => _configuration;

    /// <summary>Where the generated configuration lives under a data dir (K3s' location).</summary>
    public static string DefaultConfigPath(string dataDir) => Path.Combine(dataDir, "cred", "encryption-config.json");

    /// <summary>
    /// The configuration to start with. <paramref name="configFile"/>: the user's file, used as is.
    /// <paramref name="enabled"/> false: values are written in plaintext, and a generated file left by earlier starts
    /// still decrypts what was encrypted. Otherwise the generated file, created with a new key when absent.
    /// Throws <see cref="InvalidDataException"/> for a configuration that does not parse or validate.
    /// </summary>
    public static SecretsEncryption Open(string dataDir, bool enabled, string? configFile, TimeProvider time)
    {
        var statePath = Path.Combine(dataDir, "cred", "encryption-state.json");
        if (configFile is not null)
        {
            return new SecretsEncryption(EncryptionConfiguration.Load(configFile), enabled: true, managedPath: null, statePath, time);
        }

        var path = DefaultConfigPath(dataDir);
        if (!enabled)
        {
            var readable = File.Exists(path) ? EncryptionConfiguration.Load(path).Resources.SelectMany(r => r.Providers).Where(p => p.Type != EncryptionProvider.Identity) : [];
            return new SecretsEncryption(new EncryptionConfiguration([new EncryptionResources(["secrets"], [EncryptionProvider.IdentityProvider, .. readable])]), enabled: false, managedPath: null, statePath, time);
        }

        if (!File.Exists(path))
        {
            // aescbc first (writes), identity last (plaintext written before encryption was on stays readable).
            var first = new EncryptionConfiguration([new EncryptionResources(["secrets"], [new EncryptionProvider(EncryptionProvider.AesCbc, [NewKey(FirstKeyName)]), EncryptionProvider.IdentityProvider])]);
            WritePrivate(path, first.ToJson());
        }

        return new SecretsEncryption(EncryptionConfiguration.Load(path), enabled: true, path, statePath, time);
    }

    /// <summary>The storage every reader and writer goes through: <paramref name="storage"/> behind the decorator.</summary>
    public IStorageBackend Wrap(IStorageBackend storage)
    {
        _backend = new EncryptingStorageBackend(storage, _configuration.Compile());
        return _backend;
    }

    public EncryptionStatus Status(string? message = null) => new(Enabled, ReadStage(), [.. Keys()], message);

    /// <summary>
    /// Runs one K3s stage: prepare (a new key, read-only, last among the keys), rotate (the newest key writes, the
    /// old one still reads), reencrypt (every value rewritten with the write key, then the other keys dropped).
    /// Each needs the stage before it unless <paramref name="force"/>. Throws <see cref="InvalidOperationException"/>
    /// with what is wrong.
    /// </summary>
    public async Task<EncryptionStatus> ApplyAsync(string command, bool force, CancellationToken cancellationToken)
    {
        if (_managedPath is null || _backend is null)
        {
            throw new InvalidOperationException(Enabled
                ? "secrets encryption keys are managed in the --encryption-provider-config file: edit it and restart the server"
                : "secrets encryption is disabled (--secrets-encryption=false)");
        }

        await _changing.WaitAsync(cancellationToken);
        try
        {
            var stage = ReadStage();
            switch (command)
            {
                case "prepare":
                    Require(command, stage, force, EncryptionStage.Start, EncryptionStage.ReencryptFinished);
                    Save(WithKeys(keys => [.. keys, NewKey($"{FirstKeyName}-{_time.GetUtcNow().UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}")]), EncryptionStage.Prepare);
                    return Status();
                case "rotate":
                    Require(command, stage, force, EncryptionStage.Prepare);
                    Save(WithKeys(keys => [keys[^1], .. keys.Take(keys.Count - 1)]), EncryptionStage.Rotate);
                    return Status();
                case "reencrypt":
                    Require(command, stage, force, EncryptionStage.Rotate);
                    WriteStage(EncryptionStage.ReencryptActive);
                    var result = await Reencryptor.ReencryptAsync(_backend, cancellationToken);
                    if (result.Failures.Count > 0)
                    {
                        throw new InvalidOperationException($"reencryption left {result.Failures.Count} values unreadable with the configured keys, so no key was dropped: {string.Join("; ", result.Failures.Take(5))}");
                    }

                    Save(WithKeys(keys => [keys[0]]), EncryptionStage.ReencryptFinished);
                    return Status($"reencryption finished: {result.Rewritten} rewritten, {result.Current} already current");
                default:
                    throw new InvalidOperationException($"unknown command \"{command}\": expected prepare, rotate or reencrypt");
            }
        }
        finally
        {
            _changing.Release();
        }
    }

    // The decorator is disposed with the storage it wraps, by whoever opened that storage.
    public void Dispose() => _changing.Dispose();

    private static void Require(string command, string stage, bool force, params string[] allowed)
    {
        if (!force && !allowed.Contains(stage))
        {
            throw new InvalidOperationException($"error, incorrect stage: {command} needs stage {string.Join(" or ", allowed)}, the current stage is {stage} (--force skips this check)");
        }
    }

    // The first provider with keys is the one K3s rotates: in the generated file, aescbc.
    private EncryptionConfiguration WithKeys(Func<IReadOnlyList<EncryptionKey>, IReadOnlyList<EncryptionKey>> change)
    {
        var entry = _configuration.Resources[0];
        var index = entry.Providers.ToList().FindIndex(p => p.Keys.Count > 0);
        if (index < 0)
        {
            throw new InvalidOperationException("the encryption configuration has no provider with keys to rotate");
        }

        var providers = entry.Providers.ToArray();
        providers[index] = providers[index] with { Keys = change(providers[index].Keys) };
        return _configuration with { Resources = [entry with { Providers = providers }, .. _configuration.Resources.Skip(1)] };
    }

    // The file first, then the live transformers: a crash in between leaves a file the next start reads.
    private void Save(EncryptionConfiguration configuration, string stage)
    {
        var transformers = configuration.Compile();
        WritePrivate(_managedPath!, configuration.ToJson());
        _configuration = configuration;
        _backend!.Transformers = transformers;
        WriteStage(stage);
    }

    private IEnumerable<EncryptionKeyStatus> Keys()
    {
        var first = true;
        foreach (var provider in _configuration.Resources.Count > 0 ? _configuration.Resources[0].Providers : [])
        {
            if (provider.Type == EncryptionProvider.Identity)
            {
                // Identity is listed only when it writes (encryption off).
                if (first)
                {
                    yield return new EncryptionKeyStatus(true, "Identity", "");
                    first = false;
                }

                continue;
            }

            foreach (var key in provider.Keys)
            {
                yield return new EncryptionKeyStatus(first, TypeName(provider.Type), key.Name);
                first = false;
            }
        }
    }

    // K3s' status column.
    private static string TypeName(string provider) => provider switch
    {
        EncryptionProvider.AesCbc => "AES-CBC",
        EncryptionProvider.AesGcm => "AES-GCM",
        EncryptionProvider.Secretbox => "SecretBox",
        _ => provider,
    };

    private string ReadStage()
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(_statePath))?["stage"]?.ToString() ?? EncryptionStage.Start;
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return EncryptionStage.Start;
        }
    }

    private void WriteStage(string stage) => WritePrivate(_statePath, new JsonObject { ["stage"] = stage }.ToJsonString());

    private static EncryptionKey NewKey(string name) => new(name, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    // Keys are secrets: the directory 0700 and the file 0600 (K3s' modes), replaced whole by a rename.
    private static void WritePrivate(string path, string text)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}

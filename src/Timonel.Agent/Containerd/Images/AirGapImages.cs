using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Timonel.Agent.Containerd.Images;

/// <summary>
/// K3s' air-gap convention: every image tarball in DATA/agent/images is imported when the agent starts, so a
/// machine without internet has its images before the first pod. A tarball already imported (same name, size and
/// modification time, remembered in a small JSON file) is not imported again at the next start.
/// </summary>
public sealed class AirGapImages(string imagesDir, string recordFile, ImageImporter importer, ILogger logger)
{
    /// <summary>Imports the new or changed tarballs; a tarball that fails is logged and tried again at the next start.</summary>
    /// <returns>The image names imported.</returns>
    public async Task<IReadOnlyList<string>> ImportAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(imagesDir))
        {
            return [];
        }

        var record = ReadRecord();
        var imported = new List<string>();
        foreach (var file in Directory.GetFiles(imagesDir).Where(f => ImageArchive.CompressionOf(f) is not null).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            var stamp = Stamp(file);
            if (record.TryGetValue(name, out var known) && known == stamp)
            {
                continue;
            }

            try
            {
                var names = await importer.ImportAsync(file, cancellationToken);
                logger.LogInformation("imported {File}: {Images}", name, string.Join(", ", names));
                imported.AddRange(names);
                record[name] = stamp;
                WriteRecord(record);
            }
            catch (ImageImportException ex)
            {
                logger.LogError("{Message}", ex.Message);
            }
        }

        return imported;
    }

    private static string Stamp(string file)
    {
        var info = new FileInfo(file);
        return string.Create(CultureInfo.InvariantCulture, $"{info.Length}:{info.LastWriteTimeUtc.Ticks}");
    }

    private Dictionary<string, string> ReadRecord()
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(recordFile)) ?? [];
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            // No record (first start) or a damaged one: import everything again, which is harmless.
            return [];
        }
    }

    private void WriteRecord(Dictionary<string, string> record) => AtomicFile.Write(recordFile, JsonSerializer.Serialize(record));
}

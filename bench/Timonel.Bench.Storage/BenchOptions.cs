using System.Globalization;

namespace Timonel.Bench.Storage;

/// <summary>Command-line flags; every default is the setting the recorded figures used.</summary>
internal sealed record BenchOptions
{
    public IReadOnlyList<int> Clients { get; init; } = [1, 16, 64];

    public TimeSpan PhaseDuration { get; init; } = TimeSpan.FromSeconds(3);

    public int ValueSize { get; init; } = 1024;

    public int ChurnObjects { get; init; } = 1000;

    public long ChurnUpdates { get; init; } = 1_000_000;

    public TimeSpan ChurnCompactionInterval { get; init; } = TimeSpan.FromSeconds(5);

    public bool Throughput { get; init; } = true;

    public bool Churn { get; init; } = true;

    public bool Etcd { get; init; } = true;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--clients" => options with { Clients = [.. Value().Split(',').Select(Int)] },
                "--seconds" => options with { PhaseDuration = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--value-size" => options with { ValueSize = Int(Value()) },
                "--churn-objects" => options with { ChurnObjects = Int(Value()) },
                "--churn-updates" => options with { ChurnUpdates = long.Parse(Value(), CultureInfo.InvariantCulture) },
                "--churn-compact-every" => options with { ChurnCompactionInterval = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--no-churn" => options with { Churn = false },
                "--only-churn" => options with { Throughput = false },
                "--no-etcd" => options with { Etcd = false },
                _ => throw new ArgumentException($"unknown flag {args[i]}; see bench/Timonel.Bench.Storage/Program.cs"),
            };
        }

        return options;
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}

using System.Text;

namespace Timonel.Kustomize.Yaml;

/// <summary>
/// The order go-yaml v2 gives map keys when it marshals a map (its keyList.Less in sorter.go): letters after
/// other characters, runs of digits compared as numbers. kustomize prints every object through go-yaml v2.
/// </summary>
public sealed class GoKeyComparer : IComparer<string>
{
    public static readonly GoKeyComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x == y)
        {
            return 0;
        }
        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }
        return Less(x, y) ? -1 : Less(y, x) ? 1 : 0;
    }

    private static bool Less(string a, string b)
    {
        var ar = a.EnumerateRunes().ToArray();
        var br = b.EnumerateRunes().ToArray();
        for (var i = 0; i < ar.Length && i < br.Length; i++)
        {
            if (ar[i] == br[i])
            {
                continue;
            }
            var al = Rune.IsLetter(ar[i]);
            var bl = Rune.IsLetter(br[i]);
            if (al && bl)
            {
                return ar[i] < br[i];
            }
            if (al || bl)
            {
                return bl;
            }
            long an = 0, bn = 0;
            if (ar[i].Value == '0' || br[i].Value == '0')
            {
                for (var j = i - 1; j >= 0 && Rune.IsDigit(ar[j]); j--)
                {
                    if (ar[j].Value != '0')
                    {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }
            int ai, bi;
            for (ai = i; ai < ar.Length && Rune.IsDigit(ar[ai]); ai++)
            {
                an = (an * 10) + (ar[ai].Value - '0');
            }
            for (bi = i; bi < br.Length && Rune.IsDigit(br[bi]); bi++)
            {
                bn = (bn * 10) + (br[bi].Value - '0');
            }
            if (an != bn)
            {
                return an < bn;
            }
            if (ai != bi)
            {
                return ai < bi;
            }
            return ar[i] < br[i];
        }
        return ar.Length < br.Length;
    }
}

using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using DiffPlex;
using DiffPlex.Chunkers;

namespace CommerceOS.Core.Copy;

public enum DiffKind
{
    Same = 0,
    Removed = 1,
    Added = 2,
}

public sealed record DiffPiece(DiffKind Kind, string Text);

/// <summary>One field item compared: the pieces in reading order (removed text before the text that replaced it).</summary>
public sealed record FieldDiff(string Field, int Index, bool Changed, IReadOnlyList<DiffPiece> Pieces);

/// <summary>
/// Compares two versions of a listing copy field by field: by words for languages written with spaces, by characters for
/// Chinese and Japanese, so a changed word shows as one change. Any member (Viewer and above).
/// </summary>
public sealed class DiffListingCopy(AppDbContext db, WorkspaceContext workspace, CopyStore store)
{
    public sealed record Request(Guid ProductId, string? Marketplace, string? Language, int From, int To);

    public sealed record Response(int From, int To, IReadOnlyList<FieldDiff> Fields);

    private static readonly WordChunker Words = new();
    private static readonly CharacterChunker Characters = new();

    public async Task<Result<Response>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var found = await CopyLookup.FindAsync(store, request.ProductId, request.Marketplace, request.Language, cancellationToken, db);
        if (!found.IsSuccess)
        {
            return found.WithoutValue();
        }

        var copy = found.Value;
        var from = await store.VersionAsync(copy.Id, request.From, cancellationToken);
        var to = await store.VersionAsync(copy.Id, request.To, cancellationToken);
        if (from is null || to is null)
        {
            return Result.Invalid(from is null ? "from" : "to", CopyErrors.VersionNotFound);
        }

        return new Response(from.Number, to.Number, Compare(CopyJson.Text(from), CopyJson.Text(to), CopyProfiles.Get(copy.Marketplace).Fields));
    }

    public static IReadOnlyList<FieldDiff> Compare(ListingText before, ListingText after, IReadOnlyList<string> fields)
    {
        var result = new List<FieldDiff>();
        foreach (var field in fields)
        {
            var olds = before.Items(field);
            var news = after.Items(field);
            for (var i = 0; i < Math.Max(olds.Count, news.Count); i++)
            {
                var old = i < olds.Count ? olds[i] : "";
                var @new = i < news.Count ? news[i] : "";
                result.Add(new FieldDiff(field, i, !string.Equals(old, @new, StringComparison.Ordinal), Pieces(old, @new)));
            }
        }

        return result;
    }

    public static IReadOnlyList<DiffPiece> Pieces(string old, string @new)
    {
        if (string.Equals(old, @new, StringComparison.Ordinal))
        {
            return old.Length == 0 ? [] : [new DiffPiece(DiffKind.Same, old)];
        }

        IChunker chunker = old.Concat(@new).Any(c => c >= '\u3040' && c <= '\u9FFF') ? Characters : Words;
        var diff = Differ.Instance.CreateDiffs(old, @new, false, false, chunker);
        var pieces = new List<DiffPiece>();
        void Add(DiffKind kind, IEnumerable<string> chunks)
        {
            var text = string.Concat(chunks);
            if (text.Length == 0)
            {
                return;
            }

            if (pieces.Count > 0 && pieces[^1].Kind == kind)
            {
                pieces[^1] = pieces[^1] with { Text = pieces[^1].Text + text };
            }
            else
            {
                pieces.Add(new DiffPiece(kind, text));
            }
        }

        var a = 0;
        foreach (var block in diff.DiffBlocks)
        {
            Add(DiffKind.Same, diff.PiecesOld.Skip(a).Take(block.DeleteStartA - a));
            Add(DiffKind.Removed, diff.PiecesOld.Skip(block.DeleteStartA).Take(block.DeleteCountA));
            Add(DiffKind.Added, diff.PiecesNew.Skip(block.InsertStartB).Take(block.InsertCountB));
            a = block.DeleteStartA + block.DeleteCountA;
        }

        Add(DiffKind.Same, diff.PiecesOld.Skip(a));
        return pieces;
    }
}

// MSBuild task compiled by RoslynCodeTaskFactory (see NativeTorch.targets).
// Sets VER_FLG_WEAK on one symbol-version requirement of an ELF64 shared library, so that the dynamic loader
// accepts a libstdc++ that lacks that version. Runs only when the system's libstdc++ lacks it.
#nullable enable
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenGlibcxxRequirement : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    private static readonly string[] LibStdCxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
    };

    [Required]
    public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        if (SystemLibStdCxxHasVersion())
        {
            Log.LogMessage(MessageImportance.Low, $"System libstdc++ provides {VersionName}; nothing to patch.");
            return true;
        }

        foreach (var item in Libraries)
        {
            var path = item.ItemSpec;
            var bytes = File.ReadAllBytes(path);
            var outcome = Weaken(bytes, VersionName);
            if (outcome == null)
            {
                Log.LogMessage(MessageImportance.Low, $"{path}: already loads without {VersionName}.");
                continue;
            }

            if (outcome.Length > 0)
            {
                Log.LogError($"{path}: {outcome}");
                return false;
            }

            // Delete first so a hard link into the package cache is never written through.
            File.Delete(path);
            File.WriteAllBytes(path, bytes);
            Log.LogMessage(MessageImportance.Normal, $"{path}: marked the {VersionName} requirement weak for this system's libstdc++.");
        }

        return true;
    }

    private bool SystemLibStdCxxHasVersion()
    {
        var marker = Encoding.ASCII.GetBytes(VersionName + "\0");
        foreach (var candidate in LibStdCxxCandidates)
        {
            if (File.Exists(candidate) && IndexOf(File.ReadAllBytes(candidate), marker) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    // Returns null when no change was needed, "" after patching the buffer, otherwise the reason it could not be patched.
    private static string? Weaken(byte[] elf, string versionName)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            return "not an ELF file";
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            return "not a little-endian ELF64 file";
        }

        var sectionHeaderOffset = (long)BitConverter.ToUInt64(elf, 0x28);
        var sectionHeaderSize = BitConverter.ToUInt16(elf, 0x3A);
        var sectionCount = BitConverter.ToUInt16(elf, 0x3C);

        for (var s = 0; s < sectionCount; s++)
        {
            var header = (int)(sectionHeaderOffset + (s * sectionHeaderSize));
            if (BitConverter.ToUInt32(elf, header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            var verneedOffset = (int)BitConverter.ToUInt64(elf, header + 24);
            var stringTableIndex = (int)BitConverter.ToUInt32(elf, header + 40);
            var needCount = (int)BitConverter.ToUInt32(elf, header + 44);
            var stringTableHeader = (int)(sectionHeaderOffset + (stringTableIndex * sectionHeaderSize));
            var stringTableOffset = (int)BitConverter.ToUInt64(elf, stringTableHeader + 24);

            var need = verneedOffset;
            for (var n = 0; n < needCount; n++)
            {
                var auxCount = BitConverter.ToUInt16(elf, need + 2);
                var aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    var name = ReadCString(elf, stringTableOffset + (int)BitConverter.ToUInt32(elf, aux + 8));
                    if (name == versionName)
                    {
                        var flags = BitConverter.ToUInt16(elf, aux + 4);
                        if ((flags & VerFlagWeak) != 0)
                        {
                            return null;
                        }

                        var patched = BitConverter.GetBytes((ushort)(flags | VerFlagWeak));
                        elf[aux + 4] = patched[0];
                        elf[aux + 5] = patched[1];
                        return "";
                    }

                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }

                need += (int)BitConverter.ToUInt32(elf, need + 12);
            }
        }

        return null;
    }

    private static string ReadCString(byte[] bytes, int offset)
    {
        var end = offset;
        while (end < bytes.Length && bytes[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(bytes, offset, end - offset);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
            {
                j++;
            }

            if (j == needle.Length)
            {
                return i;
            }
        }

        return -1;
    }
}

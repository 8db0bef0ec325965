using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>Marks one version need of an ELF64 little-endian shared library weak, so the loader tolerates its absence.</summary>
public class WeakenElfVersionNeed : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required] public string LibraryPath { get; set; } = "";
    [Required] public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        var bytes = File.ReadAllBytes(LibraryPath);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[4] != 2 || bytes[5] != 1)
        {
            Log.LogError("{0} is not an ELF64 little-endian file", LibraryPath);
            return false;
        }
        long sectionTable = BitConverter.ToInt64(bytes, 0x28);
        int sectionSize = BitConverter.ToUInt16(bytes, 0x3A);
        int sectionCount = BitConverter.ToUInt16(bytes, 0x3C);
        int changed = 0;
        for (int i = 0; i < sectionCount; i++)
        {
            long header = sectionTable + (long)i * sectionSize;
            if (BitConverter.ToUInt32(bytes, (int)header + 4) != ShtGnuVerneed) continue;
            long offset = BitConverter.ToInt64(bytes, (int)header + 0x18);
            uint link = BitConverter.ToUInt32(bytes, (int)header + 0x28);
            long strings = BitConverter.ToInt64(bytes, (int)(sectionTable + link * sectionSize) + 0x18);
            changed += WeakenInVerneed(bytes, offset, strings);
        }
        if (changed == 0)
        {
            Log.LogMessage(MessageImportance.Low, "{0}: no need for {1}; nothing to do", LibraryPath, VersionName);
            return true;
        }
        // Write beside and rename: the output copy may be a hard link into the NuGet cache, which must stay untouched.
        var temporary = LibraryPath + ".weakening";
        File.WriteAllBytes(temporary, bytes);
        File.Delete(LibraryPath);
        File.Move(temporary, LibraryPath);
        Log.LogMessage(MessageImportance.Normal, "{0}: marked {1} need(s) of {2} weak", LibraryPath, changed, VersionName);
        return true;
    }

    private int WeakenInVerneed(byte[] bytes, long verneed, long strings)
    {
        int changed = 0;
        long need = verneed;
        while (true)
        {
            int auxCount = BitConverter.ToUInt16(bytes, (int)need + 2);
            long aux = need + BitConverter.ToUInt32(bytes, (int)need + 8);
            for (int a = 0; a < auxCount; a++)
            {
                uint name = BitConverter.ToUInt32(bytes, (int)aux + 8);
                if (ReadString(bytes, strings + name) == VersionName)
                {
                    ushort flags = BitConverter.ToUInt16(bytes, (int)aux + 4);
                    if ((flags & VerFlgWeak) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(bytes, (int)aux + 4);
                        changed++;
                    }
                }
                aux += BitConverter.ToUInt32(bytes, (int)aux + 12);
            }
            uint next = BitConverter.ToUInt32(bytes, (int)need + 12);
            if (next == 0) return changed;
            need += next;
        }
    }

    private static string ReadString(byte[] bytes, long at)
    {
        int end = (int)at;
        while (bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)at, end - (int)at);
    }
}

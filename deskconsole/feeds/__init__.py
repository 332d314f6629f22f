"""The phone system's feeds (DOMAIN §2): they turn what a PBX says into `PbxEvent`s and hand
them to `PhoneEvents.feed` (services/ring_lines.py), which writes them with the PBX's times.

- cti.py: the generic HTTP feed (the Zammad generic CTI event shape), a small listener.
- ami.py: the Asterisk Manager Interface client (FreePBX, Issabel, most IP-PBXs).
- desk.py: who a call is stamped with when no console runs (`deskconsole phone listen`).
Never imports Textual: the console and the CLI both start these.
"""

"""The [phone] settings: the feed, the PBX's address and the desk's extensions, with the
secrets only from the environment or a named file."""

from pathlib import Path

import pytest

from deskconsole.config import ConfigError, load_config
from deskconsole.phone_config import SecretMissing


def write(tmp_path: Path, text: str) -> dict:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return {"DESKCONSOLE_CONFIG": str(path), "DESKCONSOLE_HOME": str(tmp_path)}


def test_the_default_is_the_keys_alone(tmp_path):
    phone = load_config({"DESKCONSOLE_HOME": str(tmp_path)}).phone
    assert (phone.feed, phone.http_host, phone.http_port) == ("keys", "127.0.0.1", 8765)


def test_ami_and_http_settings_are_read(tmp_path):
    env = write(tmp_path, '[phone]\nfeed = "ami"\nami = "tcp://desk@10.0.0.5:5039"\n'
                          'extensions = ["8001", "PJSIP/8002"]\nhttp_listen = "127.0.0.1:9000"\n'
                          f'ami_secret_file = "{tmp_path / "s"}"\n')
    (tmp_path / "s").write_text("pa55\n", encoding="utf-8")
    phone = load_config(env).phone
    assert (phone.ami_user, phone.ami_host, phone.ami_port) == ("desk", "10.0.0.5", 5039)
    assert phone.extensions == ("8001", "PJSIP/8002") and phone.own_extension == "8001"
    assert phone.http_port == 9000
    assert phone.ami_secret({}) == "pa55"
    assert phone.ami_secret({"DESKCONSOLE_AMI_SECRET": "env"}) == "env"  # the environment first


def test_a_missing_token_is_said_with_where_to_put_it(tmp_path):
    phone = load_config({"DESKCONSOLE_HOME": str(tmp_path)}).phone
    with pytest.raises(SecretMissing, match="DESKCONSOLE_CTI_TOKEN"):
        phone.cti_token({})


@pytest.mark.parametrize(("text", "fragment"), [
    ('[phone]\nfeed = "sip"', "key 'phone.feed': 'sip' is not one of keys, ami, http"),
    ('[phone]\nami = "desk@host"', "key 'phone.ami'"),
    ('[phone]\nextensions = "8001"', "key 'phone.extensions'"),
    ('[phone]\nhttp_listen = "8765"', "key 'phone.http_listen'"),
    ('[phone]\nfeed = "ami"', "needs phone.ami and phone.extensions"),
    ('[phone]\nsecret = "x"', "key 'phone.secret': unknown setting"),
])
def test_a_bad_phone_setting_names_the_key(tmp_path, text, fragment):
    with pytest.raises(ConfigError, match=fragment.replace("(", r"\(").replace(".", r"\.")):
        load_config(write(tmp_path, text))
